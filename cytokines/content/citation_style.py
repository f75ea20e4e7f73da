"""How a reference is cited on public pages: Vancouver style (ICMJE), without links."""

MAX_AUTHORS = 6  # Vancouver lists six authors, then "et al"


def vancouver(reference):
    """Format ``reference`` (anything with the Reference fields) in Vancouver style."""
    authors = [a.strip() for a in reference.authors.split(",") if a.strip()]
    if len(authors) > MAX_AUTHORS:
        authors = authors[:MAX_AUTHORS] + ["et al"]
    text = f"{', '.join(authors)}. {reference.title.rstrip('.')}. {reference.container}. {reference.year}"
    if reference.volume:
        text += f";{reference.volume}"
        if reference.issue:
            text += f"({reference.issue})"
    if reference.pages:
        text += f":{reference.pages}"
    return text + "."
