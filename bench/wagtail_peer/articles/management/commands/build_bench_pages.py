"""Publish the benchmark's articles: each with a body of about --words words and --refs references."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from articles.models import ArticlePage, ArticleReference

SENTENCE = "Cytokines are messengers of the immune system and some are given as medicines in hospital. "


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=30)
        parser.add_argument("--words", type=int, default=800)
        parser.add_argument("--refs", type=int, default=10)

    @transaction.atomic
    def handle(self, count, words, refs, **options):
        home = Page.objects.get(depth=2)  # the home page Wagtail's migrations create, root of the default site
        index = home.add_child(instance=Page(title="Articles", slug="articles"))
        sections = 8
        per_section = max(1, words // sections // len(SENTENCE.split()))
        paragraph = f"<p>{SENTENCE * per_section}</p>"
        body = []
        for n in range(sections):
            body += [("heading", f"Section {n + 1}"), ("paragraph", paragraph)]
        today = timezone.localdate()
        for n in range(count):
            page = ArticlePage(
                title=f"Understanding cytokine treatment, part {n}", slug=f"article-{n}", summary="A summary.",
                body=body, last_reviewed=today, next_review_due=today + datetime.timedelta(days=3 * 365),
                reviewer="Dr Bench, MD",
            )  # fmt: skip
            page.references = [
                ArticleReference(authors="Author A, Author B, Author C", title=f"Trial of cytokine therapy number {p}",
                                 journal="J Clin Oncol", year=1990 + p, doi=f"10.5555/bench.{n}.{p}", sort_order=p)
                for p in range(refs)
            ]  # fmt: skip
            index.add_child(instance=page)
            page.save_revision().publish()  # published the way editors publish: a revision, then live
        self.stdout.write(f"{count} articles published")
