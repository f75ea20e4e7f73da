"""What a pending revision changes, compared with the live one: the reviewers' view of a revision.

Generic over reviewed kinds: each kind says, in ``PARTS``, what readers see of a revision as three sorts
of part. Texts are compared word by word and marked inline (``<ins>``/``<del>``, with words for screen
readers, so the change is never told by colour alone); ordered lists (FAQ items, references, approvals)
say which items were added, removed, changed, moved or renumbered; sets (medicines, cancer types,
people) say who or what was added and removed. Both sides are revisions made by the same snapshot
builder, so the comparison shows exactly what publishing would change for readers.

Everything an editor typed is escaped, and the marked-up result is cleaned again with nh3.
"""

import difflib
import json
import re
from dataclasses import dataclass, field

import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cytokines.content.agents import RegulatoryApproval
from cytokines.review import snapshots

# Words (with inner apostrophes and hyphens), single punctuation marks, runs of white space.
TOKEN = re.compile(r"\s+|\w+(?:['’-]\w+)*|[^\w\s]")
CONTEXT = 24  # tokens of unchanged text kept on each side of a change (about a dozen words)
MARKUP = {"ins": set(), "del": set(), "span": {"class"}}


@dataclass
class TextChange:
    label: str
    html: str
    changed: bool
    edits: list = field(default_factory=list)  # (words removed, words added) per change


@dataclass
class ItemChange:
    """One item of an ordered list: ``status`` is added, removed, changed, moved, renumbered or unchanged."""

    status: str
    label: str
    old_position: int | None = None
    new_position: int | None = None
    html: str = ""  # the item's text changes, marked inline (changed items)
    edits: list = field(default_factory=list)  # (words removed, words added) per change, for changed items


@dataclass
class ListChange:
    label: str
    items: list
    unchanged: int

    @property
    def changed(self):
        return bool(self.items)


@dataclass
class SetChange:
    label: str
    added: list
    removed: list

    @property
    def changed(self):
        return bool(self.added or self.removed)


@dataclass
class Comparison:
    texts: list = field(default_factory=list)
    lists: list = field(default_factory=list)
    sets: list = field(default_factory=list)

    @property
    def has_changes(self):
        return any(part.changed for part in [*self.texts, *self.lists, *self.sets])

    def changed_parts(self):
        return [part.label for part in [*self.texts, *self.lists, *self.sets] if part.changed]


def _clean(html):
    return mark_safe(nh3.clean(html, tags=set(MARKUP), attributes=MARKUP))  # noqa: S308 - cleaned just now


def _marked(tag, words, *, start, end):
    return (f'<{tag}><span class="visually-hidden">{start}: </span>{escape("".join(words))}'
            f'<span class="visually-hidden"> ({end})</span></{tag}>')  # fmt: skip


def _context(tokens, *, first, last):
    """Unchanged text: whole when short, else only the words next to the changes around it."""
    if len(tokens) <= 2 * CONTEXT + 4:
        return escape("".join(tokens))
    head = "" if first else escape("".join(tokens[:CONTEXT]))
    tail = "" if last else escape("".join(tokens[-CONTEXT:]))
    return f'{head}<span class="diff-gap"> … </span>{tail}'


def _merged(opcodes, a):
    """Join changes separated only by spaces, so a rewritten phrase reads as one removal and one addition."""
    merged = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between = tag == "equal" and 0 < index < len(opcodes) - 1 and "".join(a[i1:i2]).strip() == ""
        if merged and merged[-1][0] != "equal" and (tag != "equal" or between):
            _, m1, _, n1, _ = merged[-1]
            merged[-1] = ("replace", m1, i2, n1, j2)
        elif between:
            merged.append(("replace", i1, i2, j1, j2))
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


def _opcodes(a, b):
    return _merged(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), a)


def word_edits(old, new):
    """Each change between two texts as (words removed, words added); spacing and punctuation count as words."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    edits = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        removed, added = [t for t in a[i1:i2] if not t.isspace()], [t for t in b[j1:j2] if not t.isspace()]
        if tag != "equal" and (removed or added):
            edits.append((removed, added))
    return edits


def inline_diff(old, new):
    """HTML of ``new`` with the words taken out of ``old`` and put in marked, long unchanged stretches cut."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    opcodes = _opcodes(a, b)
    parts = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            parts.append(_context(a[i1:i2], first=index == 0, last=index == len(opcodes) - 1))
            continue
        removed, added = a[i1:i2], b[j1:j2]
        if "".join(removed).strip() == "" and "".join(added).strip() == "":
            parts.append(escape("".join(added)))  # only spacing changed: nothing a reader would see
            continue
        if removed:
            parts.append(_marked("del", removed, start="removed", end="end of removed"))
        if added and not removed and added[0].isspace():
            parts.append(escape(added[0]))  # the space before an insertion is not part of it
            added = added[1:]
        if added:
            parts.append(_marked("ins", added, start="added", end="end of added"))
    return _clean("".join(parts))


def compare_text(label, old, new):
    old, new = old or "", new or ""
    if old == new:
        return TextChange(label, "", False)
    return TextChange(label, inline_diff(old, new), True, word_edits(old, new))


def _keyed(items):
    """Give repeated keys an occurrence number, so two identical questions stay two items."""
    seen = {}
    keyed = []
    for key, label, text in items:
        seen[key] = seen.get(key, 0) + 1
        keyed.append(((key, seen[key]), label, text))
    return keyed


def _similar(old, new):
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio() >= 0.6


def compare_list(label, old_items, new_items):
    """Compare ordered lists of (key, label, text): what was added, removed, changed, moved or renumbered."""
    old, new = _keyed(old_items), _keyed(new_items)
    old_at = {key: (pos, lab, text) for pos, (key, lab, text) in enumerate(old, 1)}
    new_at = {key: (pos, lab, text) for pos, (key, lab, text) in enumerate(new, 1)}
    common_old = [key for key, _, _ in old if key in new_at]
    common_new = [key for key, _, _ in new if key in old_at]
    # Items outside the longest run kept in order were moved; the others at most renumbered.
    matcher = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    in_order = {common_old[block.a + i] for block in matcher.get_matching_blocks() for i in range(block.size)}
    removed = {old_at[key][0]: key for key, _, _ in old if key not in new_at}
    changes, unchanged = [], 0
    for key, lab, text in new:
        position = new_at[key][0]
        if key in old_at:
            old_position, _, old_text = old_at[key]
            status = "moved" if key not in in_order else "renumbered" if old_position != position else "unchanged"
            html = inline_diff(old_text, text) if old_text != text else ""
            if html and status == "unchanged":
                status = "changed"
            if status == "unchanged":
                unchanged += 1
                continue
            changes.append(ItemChange(status, lab, old_position, position, html, word_edits(old_text, text)))
        elif position in removed and _similar(old_at[removed[position]][1], lab):
            # A near copy stands where this item stood: show it as one item reworded.
            _, old_label, old_text = old_at[removed.pop(position)]
            heading = inline_diff(old_label, lab) if old_label != lab else lab
            edits = word_edits(old_label, lab) + word_edits(old_text, text)
            changes.append(ItemChange("changed", heading, position, position, inline_diff(old_text, text), edits))
        else:
            changes.append(ItemChange("added", lab, None, position, escape(text)))
    for old_position, key in removed.items():
        _, lab, text = old_at[key]
        changes.append(ItemChange("removed", lab, old_position, None, escape(text)))
    changes.sort(key=lambda c: c.new_position if c.new_position is not None else c.old_position - 0.5)
    return ListChange(label, changes, unchanged)


def compare_set(label, old, new):
    old, new = list(dict.fromkeys(old)), list(dict.fromkeys(new))
    return SetChange(label, [x for x in new if x not in old], [x for x in old if x not in new])


# --- what readers see of each kind ------------------------------------------------------------------


def _person(data):
    return f"{data['name']}, {data['credentials']}" if data.get("credentials") else data["name"]


def article_parts(revision, names):
    """Title, address, summary and text; FAQ and references in order; topics and people as sets."""
    content = revision.content
    texts = [("Title", revision.title), ("Web address", revision.slug), ("Summary", revision.summary),
             ("Kind", revision.get_kind_display()), ("Language", revision.get_language_display()),
             ("Text", content.get("body", ""))]  # fmt: skip
    lists = [
        ("Questions and answers", [(f["question"], f["question"], f["answer"]) for f in content.get("faq", [])]),
        ("References", [(r["citation"], r["citation"], "") for r in content.get("references", [])]),
    ]
    sets = [("Medicines", names.get("agents", [])), ("Cancer types", names.get("cancer_types", [])),
            ("Authors", [_person(p) for p in content.get("authors", [])]),
            ("Medical reviewers named on the page", [_person(p) for p in content.get("reviewers", [])])]  # fmt: skip
    return texts, lists, sets


def _approval(item):
    years = "–".join(str(item[key]) for key in ("year_approved", "year_ended") if item.get(key))
    status = str(RegulatoryApproval.ApprovalStatus(item["status"]).label) + (f" ({years})" if years else "")
    places = ", ".join(c["name"] for c in item.get("cancer_types", []))
    checked = f"checked {item['checked_on']}" if item.get("checked_on") else ""
    return " · ".join(part for part in (status, places, item.get("source_url", ""), checked) if part)


def agent_parts(revision, names):
    """Every fact field; the approvals per regulator and references in order; cancer types and reviewers as sets.
    Related sets other than approvals (``snapshots.AGENT_RELATED_SETS``) are compared item by item as written."""
    content = revision.content
    texts = [("Name", revision.name), ("Web address", revision.slug), ("Summary", revision.summary),
             ("Kind of medicine", revision.get_agent_class_display()),
             ("Nonproprietary name", revision.nonproprietary_name), ("Brand names", revision.brand_names),
             ("How it works", content.get("mechanism", "")),
             ("How it is given", "; ".join(map(str, revision.route_labels))),
             ("Where it is given", "; ".join(map(str, revision.place_labels))),
             ("Hospital note", content.get("hospital_note", "")),
             ("Clinical trials search", content.get("trial_search_term", ""))]  # fmt: skip
    approvals = [(f"{a['regulator']}:{a.get('indication', '')}",
                  str(RegulatoryApproval.Regulator(a["regulator"]).label)
                  + (f" ({a['indication']})" if a.get("indication") else ""), _approval(a))
                 for a in content.get("approvals", [])]  # fmt: skip
    lists = [("Approvals", approvals),
             ("References", [(r["citation"], r["citation"], "") for r in content.get("references", [])])]  # fmt: skip
    for name in snapshots.AGENT_RELATED_SETS:
        if name != "approvals":
            items = [json.dumps(item, sort_keys=True, default=str) for item in content.get(name, [])]
            lists.append((name.replace("_", " ").capitalize(), [(text, text, "") for text in items]))
    sets = [("Cancer types it is approved for", names.get("approved_cancer_types", [])),
            ("Medical reviewers named on the page", [_person(p) for p in content.get("reviewers", [])])]  # fmt: skip
    return texts, lists, sets


def glossary_term_parts(revision, names):
    """The term, its other names and its definition as text; medicines and people as sets."""
    content = revision.content
    texts = [("Term", revision.name), ("Web address", revision.slug), ("Other names", revision.synonyms),
             ("Definition", revision.definition)]  # fmt: skip
    sets = [("Medicines", list(content.get("agents", []))),
            ("Authors", [_person(p) for p in content.get("authors", [])]),
            ("Medical reviewers named on the page", [_person(p) for p in content.get("reviewers", [])])]  # fmt: skip
    return texts, [], sets


# Registration: a reviewed kind adds the parts readers see of its revisions (see snapshots.KINDS).
PARTS = {"article": article_parts, "agent": agent_parts, "glossaryterm": glossary_term_parts}


def _names(revision, relations):
    """Names of the related rows (medicines, cancer types) by relation, in name order."""
    names = {}
    for relation, ids in relations.items():
        model = revision._meta.get_field(relation).related_model
        names[relation] = [str(row) for row in model._default_manager.filter(pk__in=ids).order_by("name")]
    return names


def compare(kind, live, live_relations, pending, pending_relations):
    parts = PARTS[kind]
    old_texts, old_lists, old_sets = parts(live, _names(live, live_relations))
    new_texts, new_lists, new_sets = parts(pending, _names(pending, pending_relations))
    return Comparison(
        texts=[compare_text(label, old, new) for (label, old), (_, new) in zip(old_texts, new_texts, strict=True)],
        lists=[compare_list(label, old, new) for (label, old), (_, new) in zip(old_lists, new_lists, strict=True)],
        sets=[compare_set(label, old, new) for (label, old), (_, new) in zip(old_sets, new_sets, strict=True)],
    )


def pending_comparison(page):
    """The page's pending revision (its working copy) compared with its live revision; None if not live."""
    live = page.live_revision
    if live is None:
        return None
    pending, relations = snapshots.build_revision(page, number=0)
    live_relations = {name: list(getattr(live, name).values_list("pk", flat=True)) for name in relations}
    return compare(page._meta.model_name, live, live_relations, pending, relations)
