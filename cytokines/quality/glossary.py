"""Which words the glossary explains, for the reading-level report's "words the glossary does not explain".

There is no glossary yet. When one exists, point ``PROVIDER`` at a function returning its terms (or
replace ``explained_terms``); until then every hard word is reported.
"""

PROVIDER = None  # a callable returning an iterable of terms, e.g. the glossary's published term names


def explained_terms():
    """The terms readers can look up in the glossary (lower case); empty while there is no glossary."""
    if PROVIDER is None:
        return frozenset()
    return frozenset(term.strip().lower() for term in PROVIDER() if term and term.strip())
