"""The agents spreadsheet, in the words an editor sees in the admin: one row per agent.

Approvals: one use (indication) per regulator per row; an import adds or updates that use and deletes none,
since each use carries its own source and date checked (edited in the admin).
Columns are declared once, in ``COLUMNS`` (fields of the agent) and ``APPROVAL_PARTS`` × regulators
(``FDA status``, ``FDA year``, ``FDA indication``, ``FDA cancer types``, then EMA, MHRA): import, export,
the admin's preview and the downloadable template all read these lists, so a new fact is one line here.
Choices are written as their admin labels (codes are still accepted), case-insensitive; every error
names the column, the value and the allowed values.
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from import_export import fields, widgets

from cytokines.content.agents import Agent, RegulatoryApproval
from cytokines.transfer.base import ReviewedContentResource
from cytokines.transfer.cells import LIST_SEPARATOR, reference_key, references_from_keys
from cytokines.transfer.choices import (
    CancerTypeNames,
    CellProblems,
    LabelChoiceWidget,
    PlainDateWidget,
    WholeNumberWidget,
)

Regulator, ApprovalStatus = RegulatoryApproval.Regulator, RegulatoryApproval.ApprovalStatus


def label(name, model=Agent):
    return capfirst(str(model._meta.get_field(name).verbose_name))


@dataclass(frozen=True)
class Column:
    attribute: str
    widget: widgets.Widget | None = None
    header: str = ""
    readonly: bool = False

    @property
    def column_name(self):
        return self.header or label(self.attribute)


# Every agent column, in the order of the admin's form.
COLUMNS = [
    Column("name"),
    Column("slug"),
    Column("agent_class", LabelChoiceWidget(Agent.AgentClass.choices)),
    Column("nonproprietary_name"),
    Column("brand_names"),
    Column("summary"),
    Column("mechanism"),
    Column("routes", LabelChoiceWidget(Agent.Route.choices, many=True)),
    Column("places", LabelChoiceWidget(Agent.Place.choices, many=True), header="Where it is given"),
    Column("hospital_note"),
    Column("trial_search_term"),
    Column("review_interval_months", WholeNumberWidget()),
    Column("last_reviewed", PlainDateWidget()),
    Column("next_review_due", PlainDateWidget()),
    Column("last_revised", PlainDateWidget()),
    Column("status", LabelChoiceWidget(Agent.Status.choices), readonly=True),  # the workflow's alone
]


@dataclass(frozen=True)
class ApprovalPart:
    """One column per regulator: "<regulator> <name>" -> the approval's ``attribute``."""

    name: str
    attribute: str
    widget: widgets.Widget


APPROVAL_PARTS = [
    ApprovalPart("status", "status", LabelChoiceWidget(ApprovalStatus.choices)),
    ApprovalPart("year", "year_approved", WholeNumberWidget()),
    ApprovalPart("indication", "indication", widgets.CharWidget()),
    ApprovalPart("cancer types", "cancer_types", CancerTypeNames()),
]


def regulator_name(regulator):
    return Regulator(regulator).label.split(" (")[0]  # "FDA (United States)" -> "FDA"


def approval_columns():
    return [(regulator, part, f"{regulator_name(regulator)} {part.name}")
            for regulator in Regulator.values for part in APPROVAL_PARTS]  # fmt: skip


REFERENCES_COLUMN = "References"


class StoredCell(fields.Field):
    """A column read from related rows (references, approvals): the same text in exports and in the
    admin's preview (which renders fields directly, not through the resource)."""

    def __init__(self, *, read, **kwargs):
        super().__init__(**kwargs)
        self.read = read

    def export(self, instance, **kwargs):
        if instance.pk is None:  # a new row before it is saved: nothing stored yet
            return ""
        return self.read(instance)


def references_cell(agent):
    return f"{LIST_SEPARATOR} ".join(sorted(reference_key(r) for r in agent.references.all()))


def approval_cell(regulator, part):
    def read(agent):
        # The most recent use per regulator; an agent's other uses are edited in the admin.
        approval = next((a for a in agent.approvals.all() if a.regulator == regulator), None)
        if approval is None:
            return ""
        value = getattr(approval, part.attribute)
        return part.widget.render(value.all() if part.attribute == "cancer_types" else value)

    return read


class AgentResource(ReviewedContentResource):
    class Meta:
        model = Agent
        import_id_fields = ["slug"]
        fields = []  # declared by COLUMNS and approval_columns() in __init__
        skip_unchanged = False
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields = {}
        for column in COLUMNS:
            widget = column.widget or widgets.CharWidget(allow_blank=True)
            self.fields[column.attribute] = fields.Field(
                attribute=column.attribute, column_name=column.column_name, widget=widget, readonly=column.readonly
            )
        self.fields["references"] = StoredCell(column_name=REFERENCES_COLUMN, read=references_cell)
        for regulator, part, header in approval_columns():
            self.fields[header] = StoredCell(column_name=header, widget=part.widget,
                                             read=approval_cell(regulator, part))  # fmt: skip
        self.related_cells = {REFERENCES_COLUMN: read_references, "approvals": read_approvals}

    def get_export_order(self):
        return list(self.fields)

    get_import_order = get_export_order

    def get_queryset(self):
        return Agent.objects.prefetch_related("references", "approvals__cancer_types")

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        instance.references.set(instance._imported[REFERENCES_COLUMN])
        for data in instance._imported["approvals"]:
            save_approval(instance, data)
        instance._prefetched_objects_cache = {}  # the preview reads what was just written, not the old rows


def save_approval(agent, data):
    """Add or update one use per regulator; never delete one (each carries its own source and check date,
    edited in the admin). A changed status or year clears the date checked: it must be checked again."""
    data = dict(data)
    cancer_types = data.pop("cancer_types")
    approval = RegulatoryApproval.objects.filter(
        agent=agent, regulator=data["regulator"], indication=data["indication"]
    ).first()
    if approval is None:
        approval = RegulatoryApproval.objects.create(agent=agent, **data)
    else:
        if (approval.status, approval.year_approved) != (data["status"], data["year_approved"]):
            approval.checked_on = None
        for name, value in data.items():
            setattr(approval, name, value)
        approval.save()
    approval.cancer_types.set(cancer_types)


def read_references(resource, row):
    return references_from_keys(row.get(REFERENCES_COLUMN))


def read_approvals(resource, row):
    """The approval columns of one row -> one approval per regulator that has a status."""
    approvals, problems = [], {}
    for regulator in Regulator.values:
        data = {}
        for part in APPROVAL_PARTS:
            header = f"{regulator_name(regulator)} {part.name}"
            try:
                value = part.widget.clean(row.get(header))
            except ValueError as problem:
                problems[header] = str(problem)
                continue
            data[part.attribute] = value
        given = [name for name, value in data.items() if value not in (None, "", [])]
        name = regulator_name(regulator)
        if given and not data.get("status") and f"{name} status" not in problems:
            problems[f"{name} status"] = (
                f"empty, but other {name} columns are filled in. Allowed values: {'; '.join(ApprovalStatus.labels)}."
            )
        elif data.get("status"):
            approvals.append({"regulator": regulator, **data, "indication": data.get("indication") or ""})
    if problems:
        raise CellProblems(problems)
    return approvals


