"""The database: the record model, strict YAML, the store on disk and its cache, checks across records,
canonical form, the JSON Schema, the venue table and the BibTeX vocabulary. Imports nothing from later stages."""
