"""Safety information of an agent fact sheet, as structure: side effects by frequency band, and one
statement per safety topic (boxed warning, who must not have it, pregnancy...), each with its source.

Every topic is its own row, so none can be left out silently: the review workflow
(``cytokines/review/safety.py``) refuses to publish a fact sheet until each topic is filled in, with a
source and the date it was checked, or marked "not applicable".
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .agents import Agent
from .library import Reference


class Frequency(models.TextChoices):
    """The frequency bands regulators use in product information (EMA SmPC section 4.8, and patient leaflets)."""

    VERY_COMMON = "very_common", _("Very common (more than 1 in 10)")
    COMMON = "common", _("Common (up to 1 in 10)")
    UNCOMMON = "uncommon", _("Uncommon (up to 1 in 100)")
    RARE = "rare", _("Rare (up to 1 in 1,000)")
    VERY_RARE = "very_rare", _("Very rare (up to 1 in 10,000)")
    NOT_KNOWN = "not_known", _("Not known (how often cannot be estimated)")


# The band in words a patient understands; the page's headings.
FREQUENCY_FOR_READERS = {
    Frequency.VERY_COMMON: (_("Very common"), _("More than 1 in every 10 people who have this medicine")),
    Frequency.COMMON: (_("Common"), _("Up to 1 in every 10 people")),
    Frequency.UNCOMMON: (_("Uncommon"), _("Up to 1 in every 100 people")),
    Frequency.RARE: (_("Rare"), _("Up to 1 in every 1,000 people")),
    Frequency.VERY_RARE: (_("Very rare"), _("Up to 1 in every 10,000 people")),
    Frequency.NOT_KNOWN: (_("How often is not known"),
                          _("Reported, but there is not enough information to say how often")),
}
FREQUENCY_ORDER = {value: index for index, value in enumerate(Frequency.values)}


class SideEffect(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="side_effects")
    name = models.CharField(max_length=200, help_text="In plain words: “Fever and chills”.")
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.NOT_KNOWN)
    serious = models.BooleanField(
        default=False, help_text="Needs urgent medical help; shown with a warning mark and its advice first."
    )
    what_to_do = models.CharField(
        max_length=400, blank=True, help_text="What the reader should do: “Call your treatment team's 24-hour line”."
    )
    reference = models.ForeignKey(
        Reference, null=True, blank=True, on_delete=models.PROTECT, related_name="side_effects",
        help_text="The label or paper that gives this effect and its frequency. Required before publishing.",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agent", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "name"], name="side_effect_once_per_agent"),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="side_effect_known_band"),
        ]

    def __str__(self):
        return f"{self.agent}: {self.name} ({self.get_frequency_display().split(' (')[0].lower()})"

    @property
    def band_order(self):
        return FREQUENCY_ORDER.get(self.frequency, len(FREQUENCY_ORDER))


class SafetyTopic(models.TextChoices):
    """Topics every fact sheet must answer (or mark not applicable) before it is published."""

    BOXED_WARNING = "boxed_warning", _("Most important safety information (boxed warning)")
    CONTRAINDICATIONS = "contraindications", _("Who must not have it")
    PREGNANCY = "pregnancy", _("Pregnancy and contraception")
    BREASTFEEDING = "breastfeeding", _("Breastfeeding")
    FERTILITY = "fertility", _("Fertility")
    VACCINES = "vaccines", _("Vaccines")
    INTERACTIONS = "interactions", _("Other medicines (interactions)")


class SafetyStatement(models.Model):
    """What the label says on one safety topic, in our words, with the label it comes from."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="safety_statements")
    topic = models.CharField(max_length=20, choices=SafetyTopic.choices)
    text = models.TextField(
        blank=True, help_text="Plain words, one point per line. Leave empty only when marked not applicable."
    )
    not_applicable = models.BooleanField(
        default=False,
        help_text="The label has nothing on this topic (for example no boxed warning). Say why in the text if useful.",
    )
    label_section = models.CharField(
        max_length=120, blank=True, help_text="Where in the label: “Boxed warning”, “SmPC section 4.3”."
    )
    reference = models.ForeignKey(
        Reference, null=True, blank=True, on_delete=models.PROTECT, related_name="safety_statements",
        help_text="The label (FDA prescribing information or EMA SmPC) or paper this comes from.",
    )  # fmt: skip
    checked_on = models.DateField(null=True, blank=True, help_text="When this was last checked against the source.")

    class Meta:
        ordering = ["agent", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "topic"], name="safety_statement_once_per_topic"),
            models.CheckConstraint(condition=Q(topic__in=SafetyTopic.values), name="safety_statement_known_topic"),
            models.CheckConstraint(
                condition=Q(not_applicable=True) | ~Q(text=""), name="safety_statement_text_or_not_applicable"
            ),
        ]

    def __str__(self):
        answer = "not applicable" if self.not_applicable else "filled in"
        return f"{self.agent}: {self.get_topic_display()} ({answer})"

    def clean(self):
        super().clean()
        if not self.not_applicable and not self.text.strip():
            raise ValidationError({"text": "Write what the label says, or tick “not applicable”."})

    @property
    def lines(self):
        return [line.strip() for line in self.text.splitlines() if line.strip()]
