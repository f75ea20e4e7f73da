"""Transfer: spreadsheet import and export of content, citation-manager files, formula-safe formats."""
