"""Downloadable import templates: the columns of a kind, with what each accepts, as CSV and XLSX.

The XLSX has the columns on its first sheet (the one imported) and the allowed values on a second;
the CSV lists them in note rows that start with "#", which imports skip.
"""

import io

import openpyxl

from cytokines.transfer.resources import CONTENT_RESOURCES

DESCRIPTIONS = {  # widget class name -> what a cell of that kind accepts, when it has no list of values
    "WholeNumberWidget": "a whole number",
    "IntegerWidget": "a whole number",
    "PlainDateWidget": "a date, year-month-day (2026-03-31)",
    "DateWidget": "a date, year-month-day (2026-03-31)",
    "BooleanWidget": "TRUE or FALSE",
    "SlugListWidget": "slugs separated by “;”",
}
SPECIAL = {
    "references": "references in order, “doi:10.1200/JCO.1995.13.3.688; pmid:7884429” (import them first)",
    "References": "references, “doi:…; pmid:…” (import them first)",
    "faq": 'JSON: [{"question": "…", "answer": "…"}]',
    "status": "exported for information; imports never change it",
    "Status": "exported for information; imports never change it",
}


def allowed_values(field, model):
    if field.column_name in SPECIAL:
        return SPECIAL[field.column_name]
    allowed = getattr(field.widget, "allowed", None)
    if allowed:
        return "; ".join(allowed)
    if field.attribute:
        try:
            choices = model._meta.get_field(field.attribute).choices
        except Exception:  # not a model field (a relation cell)
            choices = None
        if choices:
            return "; ".join(f"{label} ({code})" for code, label in choices)
    return DESCRIPTIONS.get(type(field.widget).__name__, "text")


def columns(kind):
    resource = CONTENT_RESOURCES[kind]()
    model = resource._meta.model
    fields = [resource.fields[name] for name in resource.get_export_order() if name in resource.fields]
    return [(field.column_name, allowed_values(field, model)) for field in fields]


def template_csv(kind):
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    described = columns(kind)
    writer.writerow([name for name, _ in described])
    writer.writerow(["# Rows starting with # are notes and are not imported. Delete them or leave them."])
    for name, allowed in described:
        writer.writerow([f"# {name}: {allowed}"])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(kind):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = kind[:31]
    described = columns(kind)
    sheet.append([name for name, _ in described])
    notes = workbook.create_sheet("Allowed values")
    notes.append(["Column", "What it accepts (only the first sheet is imported)"])
    for name, allowed in described:
        notes.append([name, allowed])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TEMPLATES = {"csv": (template_csv, "text/csv"),
             "xlsx": (template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}  # fmt: skip
