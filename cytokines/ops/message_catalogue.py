"""Checks a gettext catalogue (.po) for entries a reader would see in English: untranslated or fuzzy.

A small reader of the .po format (entries separated by blank lines; msgid/msgstr strings continued on
following lines; plural forms as msgstr[N]), enough for what Django's makemessages writes.
"""

import ast
from dataclasses import dataclass, field


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str = ""
    msgstr: list = field(default_factory=list)
    fuzzy: bool = False
    obsolete: bool = False


def _unquote(text):
    return ast.literal_eval(text.strip()) if text.strip().startswith('"') else ""


def parse(text):
    """Every entry of a catalogue, the header (msgid "") included."""
    entries = []
    for block in text.split("\n\n"):
        entry, last = Entry(), None
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        for line in lines:
            if line.startswith("#~"):
                entry.obsolete = True
                continue
            if line.startswith("#,"):
                entry.fuzzy = entry.fuzzy or "fuzzy" in [flag.strip() for flag in line[2:].split(",")]
                continue
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                if last == "msgstr":
                    entry.msgstr[-1] += _unquote(line)
                elif last:
                    setattr(entry, last, getattr(entry, last) + _unquote(line))
                continue
            keyword, _, rest = line.partition(" ")
            if keyword.startswith("msgstr"):
                entry.msgstr.append(_unquote(rest))
                last = "msgstr"
            elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                setattr(entry, keyword, _unquote(rest))
                last = keyword
        if entry.msgid or entry.msgstr:
            entries.append(entry)
    return entries


def problems(text):
    """(untranslated msgids, fuzzy msgids) of a catalogue; obsolete entries and the header are ignored."""
    untranslated, fuzzy = [], []
    for entry in parse(text):
        if entry.obsolete or entry.msgid == "":
            continue
        if entry.fuzzy:
            fuzzy.append(entry.msgid)
        elif not entry.msgstr or any(not value for value in entry.msgstr):
            untranslated.append(entry.msgid)
    return untranslated, fuzzy
