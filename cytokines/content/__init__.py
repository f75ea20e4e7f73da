"""Content: the models readers' pages are made of, their QuerySets, Markdown rendering, citation style."""
