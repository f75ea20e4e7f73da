"""Admin forms. Validation messages here are written for editors."""

from django import forms

from cytokines.admin.widgets import preload_chosen
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
        preload_chosen(self)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            workflow.check_not_stale(
                model=type(self.instance), pk=self.instance.pk, loaded_version=cleaned.get("loaded_version")
            )
        return cleaned


class TranslationForm(LostEditProtectedForm):
    """A page's language and source: Translators may save translations only (review.rules says so)."""

    request_user = None  # set by the admin's get_form

    def clean(self):
        cleaned = super().clean()
        if self.request_user is not None and ("language" in self.fields or "translation_of" in self.fields):
            language = cleaned.get("language", self.instance.language)
            source = cleaned.get("translation_of", self.instance.translation_of)
            refusal = workflow.translation_form_refusal(self.request_user, language=language, translation_of=source)
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


class ArticleAdminForm(TranslationForm):
    class Meta:
        model = Article
        fields = ["title"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2, "cols": 80})}

    def clean(self):
        cleaned = super().clean()
        reviewer, agents = cleaned.get("medical_reviewer"), cleaned.get("agents")
        if reviewer is not None and agents is not None:
            refusal = workflow.interest_refusal(reviewer, [agent.pk for agent in agents])
            if refusal:
                name = reviewer.get_full_name() or reviewer.get_username()
                raise forms.ValidationError({"medical_reviewer": refusal.replace("You declared", f"{name} declared")})
        return cleaned


class AgentAdminForm(TranslationForm):
    routes = forms.MultipleChoiceField(choices=Agent.Route.choices, widget=forms.CheckboxSelectMultiple, required=False)
    places = forms.MultipleChoiceField(
        choices=Agent.Place.choices, widget=forms.CheckboxSelectMultiple, required=False, label="Where it is given"
    )

    class Meta:
        model = Agent
        fields = ["routes", "places"]

    def clean(self):
        cleaned = super().clean()
        # Publishing needs the safety information as saved: the workflow names whatever is missing.
        if self.instance.pk and "status" in self.changed_data and cleaned.get("status") == Agent.Status.PUBLISHED:
            saved = Agent.objects.get(pk=self.instance.pk)
            saved.places = cleaned.get("places", saved.places)
            refusal = workflow.agent_publication_refusal(saved)
            if refusal:
                raise forms.ValidationError(refusal + " Save the missing parts first, then publish.")
        return cleaned


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
