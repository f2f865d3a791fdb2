"""Which record a listing is, and what a merged record keeps: title keys, the rules of identity and merging
(:mod:`.rules`), import plans, duplicates among records, and the category rules. Pure."""
