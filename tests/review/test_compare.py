"""What reviewers see: the pending revision compared with the live page, on the change page and the preview."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cytokines.models import Article
from cytokines.review import compare

from ..admin_forms import change_form_data
from ..factories import AgentFactory, ArticleReferenceFactory, CancerTypeFactory, ReferenceFactory, make_live
from .admin_helpers import change_url, login, published_article

pytestmark = pytest.mark.django_db
S = Article.Status


def test_inline_diff_marks_words_added_and_removed_in_words_not_only_colour():
    html = compare.inline_diff("Take it twice a day with food.", "Take it once a day with food.")
    assert "<del><span class=\"visually-hidden\">removed: </span>twice" in html
    assert "<ins><span class=\"visually-hidden\">added: </span>once" in html
    assert "Take it " in html and " a day with food." in html


def test_inline_diff_escapes_what_editors_typed():
    html = compare.inline_diff("Safe text.", 'Safe <script>alert(1)</script> text <img src=x onerror="x()">.')
    assert "<script" not in html and "<img" not in html  # the tags are text, so onerror= is harmless text too
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_long_unchanged_text_is_cut_to_the_words_around_the_change():
    words = " ".join(f"word{n}" for n in range(200))
    html = compare.inline_diff(words + " old end.", words + " new end.")
    assert "word0 " not in html and "word199" in html and "diff-gap" in html


def test_lists_say_what_was_added_removed_moved_renumbered_and_reworded():
    old = [("a", "Question A?", "Answer A."), ("b", "Question B?", "Answer B."), ("c", "Question C?", "Answer C."),
           ("d", "Is it given in hospital?", "Yes.")]  # fmt: skip
    new = [("n", "New question?", "New answer."), ("c", "Question C?", "Answer C."),
           ("a", "Question A?", "Answer A, corrected."), ("d2", "Is it given in a hospital?", "Yes.")]  # fmt: skip
    result = compare.compare_list("FAQ", old, new)
    by_status = {(c.status, re.sub("<[^>]+>", "", str(c.label))) for c in result.items}
    assert ("added", "New question?") in by_status
    assert ("removed", "Question B?") in by_status
    # A and C swapped: one of them moved, the other kept its order and only changed number.
    assert {("moved", "Question A?"), ("renumbered", "Question C?")} <= by_status or {
        ("renumbered", "Question A?"), ("moved", "Question C?")} <= by_status
    reworded = next(c for c in result.items if c.new_position == 4)
    assert reworded.status == "changed" and "<ins>" in str(reworded.label)
    assert "corrected" in next(c for c in result.items if c.label == "Question A?").html


def test_no_change_is_said_so():
    article = published_article()
    Article.objects.filter(pk=article.pk).update(status=S.DRAFT)
    article.refresh_from_db()
    comparison = compare.pending_comparison(article)
    assert not comparison.has_changes and comparison.changed_parts() == []


def test_comparison_of_text_faq_references_topics_and_people():
    article = published_article()
    article.faq_items.create(question="Is it safe?", answer="Usually, with care [1].", position=1)
    article.agents.add(AgentFactory(name="Aldesleukin"))
    make_live(article)
    article.body = "A corrected sentence [1]."
    article.status = S.DRAFT
    article.save()
    article.faq_items.update(answer="Yes, in hospital [1].")
    article.agents.clear()
    article.cancer_types.add(CancerTypeFactory(name="Melanoma"))
    ArticleReferenceFactory(article=article, position=2, reference=ReferenceFactory(title="A new trial"))
    article.authors.clear()

    comparison = compare.pending_comparison(article)
    parts = {part.label: part for part in [*comparison.texts, *comparison.lists, *comparison.sets]}
    assert comparison.changed_parts() == ["Text", "Questions and answers", "References", "Medicines",
                                          "Cancer types", "Authors"]  # fmt: skip
    assert "<ins><span class=\"visually-hidden\">added: </span>A corrected sentence" in parts["Text"].html
    faq = parts["Questions and answers"].items
    assert [(c.status, c.label) for c in faq] == [("changed", "Is it safe?")] and "hospital" in faq[0].html
    assert [(c.status, c.new_position) for c in parts["References"].items] == [("added", 2)]
    assert parts["References"].unchanged == 1
    assert (parts["Medicines"].added, parts["Medicines"].removed) == ([], ["Aldesleukin"])
    assert parts["Cancer types"].added == ["Melanoma"]
    assert parts["Authors"].removed and not parts["Authors"].added


def pending_change(client, staff):
    article = published_article()
    editor = login(client, staff["editor"])
    data = change_form_data(editor.get(change_url(article)))
    data["body"] = "Some text citing a study [1]. A new sentence <b>bold</b>."
    assert editor.post(change_url(article), data).status_code == 302
    return article, editor


def test_the_change_page_of_a_pending_revision_shows_the_comparison(client, staff):
    article, editor = pending_change(client, staff)
    html = editor.get(change_url(article)).content.decode()
    assert 'id="revision-comparison"' in html and "css/compare.css" in html
    comparison = html.split('id="revision-comparison"')[1].split("</section>")[0]
    assert "added: </span>A new sentence &lt;b&gt;bold&lt;/b&gt;." in comparison, comparison
    assert "Preview this revision as readers will see it" in html


def test_the_change_page_of_a_live_page_without_changes_has_no_comparison(client, staff):
    article = published_article()
    html = login(client, staff["editor"]).get(change_url(article)).content.decode()
    assert 'id="revision-comparison"' not in html


def test_the_preview_shows_the_pending_revision_and_the_comparison(client, staff):
    article, editor = pending_change(client, staff)
    preview = Client()
    login(preview, staff["writer"])
    html = preview.get(reverse("admin:cytokines_article_preview", args=[article.pk])).content.decode()
    assert 'id="revision-comparison"' in html and "Readers see the live version" in html
    assert '<div class="prose"><p>Some text citing' in html and "A new sentence" in html
    assert "<script>" not in html.split('id="revision-comparison"')[1].split("</section>")[0]


def test_the_comparison_page_keeps_its_query_count(client, staff, django_assert_max_num_queries):
    article, editor = pending_change(client, staff)
    for position in range(2, 12):
        ArticleReferenceFactory(article=article, position=position)
    url = reverse("admin:cytokines_article_preview", args=[article.pk])
    with django_assert_max_num_queries(30):
        assert editor.get(url).status_code == 200
