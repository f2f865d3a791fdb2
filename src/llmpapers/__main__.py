from llmpapers.cli import main

main()
