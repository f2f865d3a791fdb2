"""Reading outside material into listings (:class:`~llmpapers.ingest.candidate.Candidate`): awesome-lists,
.bib files and works entered by hand, with the text, name, URL and LaTeX clean-up they need. Pure, no IO."""
