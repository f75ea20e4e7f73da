"""Who may do what: roles, the review steps and their permissions. The one source the admin asks.

Roles are Django groups (Writer, Medical reviewer, Editor); superusers hold every role but the
four-eyes rule binds them too. Nothing here writes; ``workflow`` takes the steps.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from cytokines.content.articles import Article
from cytokines.review.interests import interest_refusal
from cytokines.review.models import ReviewEvent

WRITER = "Writer"
MEDICAL_REVIEWER = "Medical reviewer"
EDITOR = "Editor"
TRANSLATOR = "Translator"  # writes translations of English pages, never English pages themselves
GROUPS = (WRITER, MEDICAL_REVIEWER, EDITOR, TRANSLATOR)

Status = Article.Status
Role = ReviewEvent.Role

GROUP_ROLES = {WRITER: Role.WRITER, MEDICAL_REVIEWER: Role.MEDICAL_REVIEWER, EDITOR: Role.EDITOR,
               TRANSLATOR: Role.TRANSLATOR}  # fmt: skip


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    roles: tuple  # any one of these groups may take it
    four_eyes: bool = False  # the actor must not be an author of the article
    comment_required: bool = False
    completes_review: bool = False  # sets last reviewed and next review due
    needs_live: bool = False  # only for a page readers can see now (it acts on the live revision)
    medical_sign_off: bool = False  # a medical reviewer vouches for the content: conflicts of interest bar them


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "Send for medical review", (Status.DRAFT,), Status.MEDICAL_REVIEW,
                   (WRITER, EDITOR, TRANSLATOR)),
        Transition(
            "approve_medical",
            "Approve medical content",
            (Status.MEDICAL_REVIEW,),
            Status.EDITORIAL_REVIEW,
            (MEDICAL_REVIEWER,),
            four_eyes=True,
            medical_sign_off=True,
        ),
        Transition(
            "request_changes",
            "Request changes",
            (Status.MEDICAL_REVIEW, Status.EDITORIAL_REVIEW),
            Status.DRAFT,
            (MEDICAL_REVIEWER, EDITOR),
            comment_required=True,
        ),
        Transition(
            "publish",
            "Publish",
            (Status.EDITORIAL_REVIEW,),
            Status.PUBLISHED,
            (EDITOR,),
            four_eyes=True,
            completes_review=True,
        ),
        Transition(
            "publish_typo_fix",
            "Publish as a typo correction (no medical review)",
            (Status.DRAFT, Status.MEDICAL_REVIEW, Status.EDITORIAL_REVIEW),
            Status.PUBLISHED,
            (EDITOR,),
            four_eyes=True,
            needs_live=True,
        ),
        # The live page is still correct: its review dates move on. A pending revision being worked on
        # meanwhile keeps its stage (``KEEPS_STATUS``): the confirmation is of the live text.
        Transition(
            "confirm_review",
            "Confirm review: content still correct",
            (Status.PUBLISHED, Status.DRAFT, Status.MEDICAL_REVIEW, Status.EDITORIAL_REVIEW),
            Status.PUBLISHED,
            (MEDICAL_REVIEWER,),
            four_eyes=True,
            completes_review=True,
            needs_live=True,
            medical_sign_off=True,
        ),
        Transition(
            "archive",
            "Unpublish and archive",
            (Status.PUBLISHED, Status.DRAFT),
            Status.ARCHIVED,
            (EDITOR,),
            comment_required=True,
        ),
        Transition("restore", "Restore to draft", (Status.ARCHIVED,), Status.DRAFT, (EDITOR,)),
    ]
}

# Which statuses each role may edit the working copy in. Editors may always edit (an edit of a live page
# starts its pending revision; readers keep the live one); writers only drafts.
EDITABLE_STATUSES = {
    WRITER: {Status.DRAFT},
    # A translator may also start the pending revision of a live translation (to bring it up to date with its
    # English source); readers keep the live one until it is reviewed and published.
    TRANSLATOR: {Status.DRAFT, Status.PUBLISHED},
    MEDICAL_REVIEWER: {Status.DRAFT, Status.MEDICAL_REVIEW},
    EDITOR: set(Status.values),
}

# Which groups edit each kind at all. Agent fact sheets are edited by Editors only (and their translations by
# Translators). Translators act only on translations: ``page_groups`` leaves their group out for English pages.
# Glossary terms, like articles, are written by Writers too (terms have no translations yet).
EDITING_GROUPS = {"article": set(GROUPS), "agent": {EDITOR, TRANSLATOR},
                  "glossaryterm": {WRITER, MEDICAL_REVIEWER, EDITOR}}  # fmt: skip


# Steps that leave a pending revision where it is (the page's status is the pending revision's stage).
KEEPS_STATUS = {"confirm_review"}

# A typo-only correction skips medical review, so it may change only a few words, none of them a number
# (doses, dates, percentages) or a word that turns a statement around.
TYPO_MAX_WORDS = 12
MEANING_WORDS = {"not", "no", "never", "nor", "none", "without", "cannot", "can't", "don't", "doesn't", "isn't",
                 "aren't", "won't", "shouldn't", "mustn't", "avoid", "stop", "always", "must", "should", "may",
                 "might", "all", "only"}  # fmt: skip
TYPO_TEXT_PARTS = {"Title", "Summary", "Text", "Questions and answers", "Definition"}


def typo_fix_problems(comparison):
    """Why the pending revision is more than a typo correction (empty when it is one), in words for editors.

    ``comparison`` is ``review.compare``'s comparison of the pending revision with the live one.
    """
    if not comparison.has_changes:
        return ["it changes nothing readers see"]
    problems = [f"{part.label.lower()} changed" for part in [*comparison.texts, *comparison.lists, *comparison.sets]
                if part.changed and part.label not in TYPO_TEXT_PARTS]  # fmt: skip
    edits = [edit for part in comparison.texts if part.changed for edit in part.edits]
    for part in comparison.lists:
        if part.label not in TYPO_TEXT_PARTS:
            continue
        if any(item.status != "changed" for item in part.items):
            problems.append(f"{part.label.lower()} were added, removed or reordered")
        edits += [edit for item in part.items if item.status == "changed" for edit in item.edits]
    words = [word for removed, added in edits for word in removed + added]
    if sum(1 for word in words if word[0].isalnum()) > TYPO_MAX_WORDS:
        problems.append(f"more than {TYPO_MAX_WORDS} words changed")
    if any(char.isdigit() for word in words for char in word):
        problems.append("a number changed (doses, dates and figures need medical review)")
    meaning = sorted({word.lower() for word in words} & MEANING_WORDS)
    if meaning:
        problems.append("a word that can change the meaning changed (" + ", ".join(f"“{w}”" for w in meaning) + ")")
    return problems


def user_groups(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(GROUPS)
    cached = getattr(user, "_workflow_groups", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=GROUPS).values_list("name", flat=True))
        user._workflow_groups = cached
    return cached


def is_translation(page):
    return getattr(page, "translation_of_id", None) is not None


def page_groups(user, page):
    """The groups ``user`` acts in on ``page``: a Translator's role counts only on a translation (a new page
    counts as one while it is being written; its form refuses an English page, ``translation_form_refusal``)."""
    groups = user_groups(user)
    if TRANSLATOR in groups and page.pk is not None and not is_translation(page):
        groups = groups - {TRANSLATOR}
    return groups


def translation_form_refusal(user, *, language, translation_of):
    """Why ``user`` may not save a page in ``language`` translating ``translation_of``, or None. Translators
    write translations only; everyone who edits pages may write a translation."""
    if user.is_superuser or user_groups(user) - {TRANSLATOR}:
        return None
    if translation_of is None or language == "en":
        return ("Translators write translations only: choose the English page this translates "
                "(“Translation of”) and the language of the translation.")  # fmt: skip
    return None


def language_refusal(user, page):
    """A medical sign-off vouches for the words: on a page in another language than English the reviewer must
    read it, as recorded on their contributor profile. None when they may."""
    language = getattr(page, "language", "en")
    if language == "en":
        return None
    from cytokines.content.reviewed import Language

    profile = getattr(user, "contributor", None)
    name = Language(language).label if language in Language.values else language
    if profile is None:
        return (f"This page is in {name}: its medical reviewer needs a contributor profile that records they read "
                f"{name} (Contributors → link your login).")  # fmt: skip
    if not profile.reads(language):
        return (f"This page is in {name}, and your contributor profile does not record that you read {name}. "
                f"A medical reviewer who reads {name} must approve it "
                "(Contributors → languages they read).")  # fmt: skip
    return None


def user_role(user, transition):
    """The role the user acts in, for the ReviewEvent record."""
    if user.is_superuser:
        return Role.ADMINISTRATOR
    groups = user_groups(user)
    # Only reached after refusal() found the user in one of the transition's roles.
    return next(GROUP_ROLES[group] for group in transition.roles if group in groups)


def authors_of(page, transition=None):
    """User ids of everyone whose work the revision is: owner, linked author accounts, whoever submitted or
    edited it since it was last published; for "publish" also whoever approved it medically (one person
    cannot both approve and publish)."""
    from cytokines.review.publishing import cycle_events  # publishing builds on these rules

    actions = ["submit", "edited"] + (["approve_medical"] if transition and transition.name == "publish" else [])
    ids = {page.owner_id}
    if hasattr(page, "authors"):  # articles name their authors; agents have none beyond who edited them
        ids.update(page.authors.exclude(user=None).values_list("user_id", flat=True))
    ids.update(cycle_events(page).filter(action__in=actions).values_list("actor_id", flat=True))
    ids.discard(None)
    return ids


def refusal(user, article, transition):
    """Return why ``user`` may not take ``transition`` on ``article`` now, or None if they may."""
    if article.status not in transition.sources:
        return f"“{transition.label}” is not possible while the page is {article.get_status_display().lower()}."
    if transition.needs_live and article.live_revision_id is None:
        return f"“{transition.label}” is only for a page readers can see now; this one is not published."
    if not page_groups(user, article) & set(transition.roles):
        who = " or ".join(role for role in transition.roles if role != TRANSLATOR or is_translation(article))
        return f"Only members of the {who} group may {transition.label.lower()}."
    if transition.four_eyes and user.pk in authors_of(article, transition):
        return "You wrote, edited, submitted or approved this revision; another person must do this (four-eyes rule)."
    if transition.medical_sign_off:
        return language_refusal(user, article) or interest_refusal(user, page_agent_ids(article))
    return None


def page_agent_ids(page):
    """The medicines a page is about: an agent's fact sheet is about itself, an article or a glossary term
    about its agents."""
    if page._meta.model_name == "agent":
        return [page.pk]
    return list(page.agents.values_list("pk", flat=True))


def available_transitions(user, article):
    return [t for t in TRANSITIONS.values() if refusal(user, article, t) is None]


def can_edit(user, page):
    """May ``user`` change ``page`` (an article or agent, saved or new)? The admin asks only this."""
    groups = page_groups(user, page) & EDITING_GROUPS[page._meta.model_name]
    if page.pk is None:
        return bool(groups & {WRITER, EDITOR, TRANSLATOR})
    return any(page.status in EDITABLE_STATUSES[group] for group in groups)


def who_may_edit(page):
    """In words, who may change ``page`` in its present status (read-only pages say it)."""
    groups = [g for g in (WRITER, TRANSLATOR, MEDICAL_REVIEWER, EDITOR)
              if g in EDITING_GROUPS[page._meta.model_name] and page.status in EDITABLE_STATUSES[g]
              and (g != TRANSLATOR or is_translation(page))]  # fmt: skip
    names = [f"{g}s" for g in groups]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    status = page.get_status_display().lower()
    if page.status == Status.PUBLISHED:
        return f"{who} may change this {page._meta.verbose_name}; an edit starts a revision readers see once reviewed."
    return f"{who} may change this {page._meta.verbose_name} while it is {status}."


def edit_refusal(user, page):
    """Why ``user`` may not change ``page`` now, or None when they may."""
    if can_edit(user, page):
        return None
    return f"You can read this page but not change it. {who_may_edit(page)}"


def editing_role(user):
    """The role recorded for an edit: the highest-ranking group the user edits in."""
    if user.is_superuser:
        return Role.ADMINISTRATOR
    groups = user_groups(user)
    return next((GROUP_ROLES[g] for g in (EDITOR, MEDICAL_REVIEWER, WRITER, TRANSLATOR) if g in groups), Role.SYSTEM)


def can_edit_kind(user, model):
    """May ``user`` edit some pages of this kind (the admin's list and add pages ask this)?"""
    return bool(user_groups(user) & EDITING_GROUPS[model._meta.model_name])


def can_edit_review_dates(user):
    return EDITOR in user_groups(user)


def assignable_owners():
    """Who may own a page (keep it up to date): any active staff member."""
    return get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")


def assignable_medical_reviewers():
    """Who may be assigned a page's next medical review: active members of the Medical reviewer group."""
    return assignable_owners().filter(groups__name=MEDICAL_REVIEWER).distinct()


def can_fix_sources(user):
    """Accepting a record's values or a reader-facing availability note for a reference: Editors only."""
    return EDITOR in user_groups(user)
