"""Interface words that differ between US and UK English: labels are written once, shown in the site's spelling."""

import re

UK_TO_US = {
    "tumour": "tumor", "honour": "honor", "honours": "honors", "colour": "color", "centre": "center",
    "organisation": "organization", "leukaemia": "leukemia", "haemoglobin": "hemoglobin", "anaemia": "anemia",
    "diarrhoea": "diarrhea", "oedema": "edema", "polycythaemia": "polycythemia",
    "thrombocythaemia": "thrombocythemia", "programme": "program", "behaviour": "behavior",
    "favourite": "favorite", "paediatric": "pediatric",
}  # fmt: skip
US_TO_UK = {us: uk for uk, us in UK_TO_US.items()}
_WORD = re.compile(r"[A-Za-z]+")


def respell(text, spelling):
    """Return ``text`` with the listed words in US spelling, or UK spelling when ``spelling`` is en-gb."""
    table = US_TO_UK if str(spelling).lower() == "en-gb" else UK_TO_US

    def swap(match):
        word = match.group(0)
        found = table.get(word.lower())
        if found is None:
            return word
        return found.capitalize() if word[0].isupper() else found

    return _WORD.sub(swap, str(text))
