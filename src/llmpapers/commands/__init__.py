"""One library function per command, over the stages before it: load and check, import, add, dedupe,
categorize, stats, export. The CLI in :mod:`llmpapers.cli` only parses arguments and prints."""
