""" "Was this page helpful?": one press on Yes or No, then an optional comment, answered in place.

The widget (static/js/feedback.js) posts with ``Accept: application/json`` and shows the answer where the
question was; without JavaScript the same URLs answer with pages, so nothing depends on script.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from cytokines.content.articles import Article
from cytokines.public.models import PageFeedback


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes")
    comment = forms.CharField(required=False, max_length=500, label=_("What could we improve? (optional)"))
    website = forms.CharField(required=False, label=_("Leave this empty"))  # honeypot: people never fill it


class FeedbackCommentForm(forms.Form):
    comment = forms.CharField(max_length=500, label=_("What could we improve?"),
                              widget=forms.Textarea(attrs={"rows": 4}))
    website = forms.CharField(required=False, label=_("Leave this empty"))


FEEDBACK_SALT = "page-feedback-comment"
FEEDBACK_THANKS = _("Thank you: your feedback goes to the editors of this page.")


def _live_article(slug):
    """The article readers see at ``slug`` (its live revision's address), or 404."""
    live = Article.objects.published().select_related("live_revision")
    return get_object_or_404(live, live_revision__slug=slug)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _feedback_answer(request, article, message, *, ok=True, comment_url=None, status=200):
    """Answer the in-page widget with JSON, and a browser without JavaScript with a page it can use."""
    if _wants_json(request):
        return JsonResponse(
            {"ok": ok, "message": message, "comment_url": comment_url}, status=status if not ok else 200
        )
    if ok and comment_url:
        return redirect(comment_url)
    (messages.success if ok else messages.error)(request, message)
    return redirect(f"{article.live_revision.get_absolute_url()}#feedback")


@require_POST
@ratelimit(key="ip", rate="20/h", method="POST", block=False)
def article_feedback(request, slug):
    """One press on Yes or No stores the answer; a comment can follow (``article_feedback_comment``)."""
    article = _live_article(slug)
    form = FeedbackForm(request.POST)
    if getattr(request, "limited", False):
        message = _("You have sent a lot of feedback in a short time; please try again later.")
        return _feedback_answer(request, article, message, ok=False, status=429)
    if not form.is_valid():
        message = _("Please choose Yes or No (and keep any comment under 500 characters).")
        return _feedback_answer(request, article, message, ok=False, status=400)
    if form.cleaned_data["website"]:
        return _feedback_answer(request, article, _("Thank you."))  # a bot filled the honeypot; tell it nothing
    feedback = PageFeedback.objects.create(
        article=article, helpful=form.cleaned_data["helpful"], comment=form.cleaned_data["comment"]
    )
    if feedback.comment:
        return _feedback_answer(request, article, FEEDBACK_THANKS)
    token = signing.dumps(feedback.pk, salt=FEEDBACK_SALT)
    comment_url = reverse("cytokines:article-feedback-comment", args=[article.live_revision.slug, token])
    return _feedback_answer(request, article, _("Thank you for telling us."), comment_url=comment_url)


@ratelimit(key="ip", rate="20/h", method="POST", block=False)
def article_feedback_comment(request, slug, token):
    """Add the optional comment to the answer just given (the signed token names it; valid for a day)."""
    article = _live_article(slug)
    try:
        pk = signing.loads(token, salt=FEEDBACK_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        raise Http404("This feedback link has expired.") from None
    feedback = get_object_or_404(PageFeedback, pk=pk, article=article)
    form = FeedbackCommentForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _feedback_answer(request, article, _("Please try again later."), ok=False, status=429)
        if form.is_valid():
            if not form.cleaned_data["website"] and not feedback.comment:
                PageFeedback.objects.filter(pk=feedback.pk).update(comment=form.cleaned_data["comment"])
            return _feedback_answer(request, article, FEEDBACK_THANKS)
        if _wants_json(request):
            return _feedback_answer(request, article, _("Please keep your comment under 500 characters and not empty."),
                                    ok=False, status=400)  # fmt: skip
    context = {"article": article.live_revision, "form": form, "feedback": feedback}  # what readers see of it
    response = render(request, "cytokines/feedback_comment.html", context, status=400 if form.is_bound else 200)
    response["Cache-Control"] = "private, no-store"
    return response
