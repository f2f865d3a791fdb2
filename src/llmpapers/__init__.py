"""llmpapers: a curated bibliography of LLM-systems work."""

__version__ = "0.1.0"
