"""Which words the glossary explains, for the reading-level report's "words the glossary does not explain".

``PROVIDER`` returns the published terms (names and other names of the live revisions); tests may point it
elsewhere.
"""

from cytokines.content.glossary import published_term_names

PROVIDER = published_term_names  # a callable returning an iterable of terms


def explained_terms():
    """The terms readers can look up in the glossary (lower case)."""
    if PROVIDER is None:
        return frozenset()
    return frozenset(term.strip().lower() for term in PROVIDER() if term and term.strip())
