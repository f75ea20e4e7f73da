"""Spreadsheet cells an editor writes in words: choices by their admin label, yes / no / not known,
whole numbers, dates, cancer types by name. Each refuses a value with a message that quotes it and lists
what is allowed (the row and column are added by the resource)."""

import datetime
import re

from django.utils import translation
from import_export import widgets

from cytokines.content.library import CancerType

SEPARATORS = re.compile(r"\s*[;\n]\s*")


def word_key(text):
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class LabelChoiceWidget(widgets.Widget):
    """A choice written as its label ("Subcutaneous (under the skin)"), its short label ("Subcutaneous")
    or its code ("sc"), in any case; exported as the label. ``many``: several, separated by ";"."""

    def __init__(self, choices, *, many=False):
        super().__init__()
        # Labels may be lazy translations (the interface's catalogue): spreadsheets use the English words.
        with translation.override("en"):
            self.choices = [(code, str(text)) for code, text in choices]
        self.many = many
        self.by_word = {}
        for code, text in self.choices:
            for word in (code, text, text.split(" (")[0]):
                self.by_word.setdefault(word_key(word), code)

    @property
    def allowed(self):
        return [text for _, text in self.choices]

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return [] if self.many else ""
        words = [w for w in SEPARATORS.split(str(value).strip()) if w] if self.many else [str(value)]
        unknown = [w for w in words if word_key(w) not in self.by_word]
        if unknown:
            raise ValueError(
                f"“{unknown[0]}” is not an allowed value. Allowed values: {'; '.join(self.allowed)}"
                + (" (several separated by “;”)" if self.many else "") + "."
            )
        codes = [self.by_word[word_key(w)] for w in words]
        return sorted(set(codes)) if self.many else codes[0]

    def render(self, value, obj=None, **kwargs):
        labels = dict(self.choices)
        if self.many:
            return "; ".join(labels.get(code, code) for code in value or [])
        return labels.get(value, value or "")


class YesNoUnknownWidget(widgets.Widget):
    """Yes / No / Not known (an empty cell is "not known": the page then says nothing)."""

    WORDS = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False,
             "not known": None, "unknown": None}  # fmt: skip
    allowed = ["Yes", "No", "Not known"]

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, bool):
            return value
        key = word_key(value)
        if key not in self.WORDS:
            raise ValueError(f"“{value}” is not an allowed value. Allowed values: Yes; No; Not known (or empty).")
        return self.WORDS[key]

    def render(self, value, obj=None, **kwargs):
        return {True: "Yes", False: "No"}.get(value, "Not known")


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        try:
            number = float(str(value).strip())
        except ValueError:
            number = None
        if number is None or number != int(number):
            raise ValueError(f"“{value}” is not a whole number (e.g. 1992).")
        return int(number)


class PlainDateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise ValueError(f"“{value}” is not a date; write it as year-month-day, e.g. 2026-03-31.") from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class CancerTypeNames(widgets.Widget):
    """Cancer types by name as the admin shows them ("Kidney cancer") or by slug, any case, ";"-separated."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return []
        words = [w for w in SEPARATORS.split(str(value).strip()) if w]
        known = {}
        for cancer_type in CancerType.objects.all():  # a short list; read once per cell
            known.setdefault(word_key(cancer_type.name), cancer_type)
            known.setdefault(word_key(cancer_type.slug), cancer_type)
        unknown = [w for w in words if word_key(w) not in known]
        if unknown:
            names = "; ".join(sorted(c.name for c in set(known.values())))
            raise ValueError(f"“{unknown[0]}” is not a cancer type in the library. Allowed values: {names}.")
        return list({known[word_key(w)].pk: known[word_key(w)] for w in words}.values())

    def render(self, value, obj=None, **kwargs):
        return "; ".join(sorted(c.name for c in value)) if value is not None else ""

    @property
    def allowed(self):
        return sorted(CancerType.objects.values_list("name", flat=True))


class CellProblems(ValueError):
    """Problems in several columns read together (e.g. a regulator's approval): column -> message."""

    def __init__(self, by_column):
        self.by_column = by_column
        super().__init__("; ".join(f"{column}: {message}" for column, message in by_column.items()))
