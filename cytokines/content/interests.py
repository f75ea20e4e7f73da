"""Declared interests of contributors, naming the agents they concern.

The review workflow reads these (``cytokines/review/interests.py``): nobody approves, as medical
reviewer, a page about a medicine they declared an interest in.
"""

from django.db import models

from .agents import Agent
from .library import Contributor


class DeclaredInterest(models.Model):
    contributor = models.ForeignKey(Contributor, on_delete=models.CASCADE, related_name="declared_interests")
    description = models.CharField(
        max_length=300, help_text="What the interest is, e.g. “Speaker fees from the maker of Besremi (2023)”."
    )
    agents = models.ManyToManyField(
        Agent, related_name="declared_interests", help_text="Every medicine the interest concerns."
    )
    declared_on = models.DateField()

    class Meta:
        ordering = ["contributor", "-declared_on"]

    def __str__(self):
        return f"{self.contributor.name}: {self.description}"
