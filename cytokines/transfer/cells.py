"""Reading and writing the cells that carry relations: slugs, reference keys and FAQ items as JSON.

Relations travel by natural key, never by database id, so a file moves between databases: slugs for
cancer types, agents and contributors; ``doi:…`` or ``pmid:…`` for references (their order in an
article's list is the order in the cell). FAQ items travel as JSON.
"""

import json

from import_export import widgets

from cytokines.content.library import Reference, normalize_doi

LIST_SEPARATOR = ";"


class SlugListWidget(widgets.ManyToManyWidget):
    """Many-to-many as "slug-a; slug-b". Unknown slugs are an error, never silently dropped."""

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, separator=LIST_SEPARATOR, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        wanted = [part.strip() for part in str(value or "").replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR)]
        wanted = [w for w in wanted if w]
        found = {getattr(obj, self.field): obj for obj in self.model.objects.filter(**{f"{self.field}__in": wanted})}
        missing = [w for w in wanted if w not in found]
        if missing:
            raise ValueError(f"unknown {self.model._meta.verbose_name} {', '.join(missing)}")
        return [found[w] for w in wanted]

    def render(self, value, obj=None, **kwargs):
        return f"{LIST_SEPARATOR} ".join(sorted(getattr(o, self.field) for o in value.all())) if value else ""


def reference_key(reference):
    if reference.doi:
        return f"doi:{reference.doi}"
    if reference.pmid:
        return f"pmid:{reference.pmid}"
    return f"title:{reference.title}"


def references_from_keys(cell):
    """Resolve "doi:…; pmid:…" to references, in order; raise ValueError naming any that are unknown.

    DOIs match in any case (10.1200/JCO… and 10.1200/jco… are one paper).
    """
    keys = []
    for key in (k.strip() for k in str(cell or "").split(LIST_SEPARATOR)):
        kind, _, value = key.partition(":")
        kind, value = kind.strip().lower(), value.strip()
        if key:
            keys.append((kind, normalize_doi(value).lower() if kind == "doi" else value, key))
    values = {kind: {v for k, v, _ in keys if k == kind} for kind in ("doi", "pmid", "title")}
    found = {}  # one query per kind of key, not one per reference
    if values["doi"]:
        found.update({("doi", r.doi.lower()): r for r in Reference.objects.with_doi_in(values["doi"])})
    for kind in ("pmid", "title"):
        if values[kind]:
            stored = Reference.objects.filter(**{f"{kind}__in": values[kind]})
            found.update({(kind, getattr(r, kind)): r for r in stored})
    missing = [original for kind, value, original in keys if (kind, value) not in found]
    if missing:
        raise ValueError(f"unknown reference(s) {', '.join(missing)} (import the references first)")
    return [found[(kind, value)] for kind, value, _ in keys]


def chunks(items, size=5000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def faq_from_cell(cell):
    try:
        items = json.loads(cell or "[]")
    except json.JSONDecodeError:
        items = None
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and i.get("question") and i.get("answer") for i in items
    ):
        raise ValueError('write FAQ items as JSON: [{"question": "…", "answer": "…"}]')
    return items
