"""What leaves the database: the site (render, chart, build), BibTeX/JSON/Markdown exports, stats, and
diagnostics as GitHub annotations."""
