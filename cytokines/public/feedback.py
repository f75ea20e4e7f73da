"""Reader feedback: "Was this page helpful?" stored for editors, rate-limited, with a honeypot."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from cytokines.content.articles import Article
from cytokines.public.models import PageFeedback


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes")
    comment = forms.CharField(required=False, max_length=500, label="What could we improve? (optional)")
    website = forms.CharField(required=False, label="Leave this empty")  # honeypot: people never fill it


@require_POST
@ratelimit(key="ip", rate="20/h", method="POST", block=False)
def article_feedback(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = FeedbackForm(request.POST)
    if getattr(request, "limited", False):
        messages.error(request, "You have sent a lot of feedback in a short time; please try again later.")
    elif form.is_valid() and not form.cleaned_data["website"]:
        PageFeedback.objects.create(
            article=article, helpful=form.cleaned_data["helpful"], comment=form.cleaned_data["comment"]
        )
        messages.success(request, "Thank you: your feedback goes to the editors of this page.")
    elif form.is_valid():
        messages.success(request, "Thank you.")  # a bot filled the honeypot; tell it nothing
    else:
        messages.error(request, "Please choose Yes or No (and keep any comment under 500 characters).")
    return redirect(f"{article.get_absolute_url()}#feedback")
