"""Admin forms. Validation messages here are written for editors."""

from django import forms

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.review import workflow


class LostEditProtectedForm(forms.ModelForm):
    """Carry the version the editor loaded; refuse the save if someone saved a newer one meanwhile."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Also when bound: the version alone is not a change (a stale one is refused in clean()).
            self.initial["loaded_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            workflow.check_not_stale(
                model=type(self.instance), pk=self.instance.pk, loaded_version=cleaned.get("loaded_version")
            )
        return cleaned


class ArticleAdminForm(LostEditProtectedForm):
    class Meta:
        model = Article
        fields = ["title"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2, "cols": 80})}


class AgentAdminForm(LostEditProtectedForm):
    routes = forms.MultipleChoiceField(choices=Agent.Route.choices, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = Agent
        fields = ["routes"]


class TransitionForm(forms.Form):
    transition = forms.ChoiceField(choices=[(t.name, t.label) for t in workflow.TRANSITIONS.values()])
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=workflow.assignable_owners(), required=False, label="New owner")
    medical_reviewer = forms.ModelChoiceField(
        queryset=workflow.assignable_medical_reviewers(), required=False, label="New medical reviewer"
    )


class SpreadReviewDatesForm(forms.Form):
    start = forms.DateField(label="First day of the window", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Last day of the window", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("The window must end on or after its first day.")
        return cleaned
