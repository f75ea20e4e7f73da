"""Links to a public trial registry's own search page, built from search terms editors keep as data.

A link, not an embed: the reader's browser asks the registry nothing until the reader follows it. The
registry is ClinicalTrials.gov (run by the US National Library of Medicine), whose search page reads
``cond`` (condition), ``intr`` (intervention) and ``aggFilters=status:rec`` (recruiting only).
"""

from urllib.parse import quote, urlencode

CLINICAL_TRIALS_SEARCH = "https://clinicaltrials.gov/search"


def trial_search_url(*, condition="", intervention=""):
    """The registry's search for recruiting trials of ``condition`` and/or ``intervention`` ("" if neither)."""
    terms = [("cond", condition.strip()), ("intr", intervention.strip())]
    params = [(name, value) for name, value in terms if value]
    if not params:
        return ""
    return f"{CLINICAL_TRIALS_SEARCH}?{urlencode([*params, ('aggFilters', 'status:rec')], quote_via=quote)}"
