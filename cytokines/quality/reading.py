"""How hard a page is to read: Flesch-Kincaid grade (textstat), its longest sentences and its hard words.

For editors only. Patient pages aim at US grade 6-8 (reading age about 11); the target comes from
settings. The measured text is what a reader reads, not the Markdown: headings and list items count as
sentences, tables and citation numbers are left out (formulas are meant for prose).
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import textstat
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.rendering import render_markdown
from cytokines.quality.glossary import explained_terms
from cytokines.quality.models import ReadingLevel

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "blockquote", "dd", "dt"}
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+")
LONGEST_SHOWN = 3
HARD_WORDS_SHOWN = 15


def target():
    config = settings.READING_LEVEL
    return {"grade_low": config["TARGET_GRADE_LOW"], "grade": config["TARGET_GRADE"],
            "reading_age": config["TARGET_READING_AGE"]}  # fmt: skip


class _ProseExtractor(HTMLParser):
    """The readable sentences of rendered Markdown: one block per paragraph, heading or list item."""

    def __init__(self):
        super().__init__()
        self.blocks, self.current, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"table", "pre", "sup"}:
            self.skip += 1
        elif tag in BLOCKS:
            self._close()

    def handle_endtag(self, tag):
        if tag in {"table", "pre", "sup"}:
            self.skip -= 1
        elif tag in BLOCKS:
            self._close()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def _close(self):
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.blocks.append(text if text[-1] in ".!?:;" else text + ".")


def prose(*markdown_texts):
    """Plain sentences from Markdown (and plain) texts, citation numbers removed."""
    extractor = _ProseExtractor()
    for text in markdown_texts:
        if text:
            extractor.feed(str(render_markdown(re.sub(r"\[\d{1,3}\]", "", text))))
            extractor._close()
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(extractor.blocks))  # "so [1]." leaves "so ."


def sentences(text):
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


@dataclass(frozen=True)
class Report:
    grade: float
    reading_ease: float
    words: int
    sentences: int
    longest: list  # [(word count, sentence)]
    unexplained: list  # hard words the glossary does not explain, most frequent first
    target: dict

    @property
    def reading_age(self):
        return round(self.grade) + 5

    @property
    def above_target(self):
        return self.grade > self.target["grade"]


def measure(text, *, explained=None):
    """A Report for plain ``text`` (use ``prose`` first for Markdown); ``explained``: the glossary's terms,
    when the caller measures many pages (one glossary read for all of them, not one per page)."""
    all_sentences = sentences(text)
    longest = sorted(((len(s.split()), s) for s in all_sentences), key=lambda pair: -pair[0])[:LONGEST_SHOWN]
    explained = {term.lower() for term in (explained_terms() if explained is None else explained)}
    words = Counter(w for w in re.findall(r"[a-z][a-z'’]+", text.lower()))
    hard = [w for w, _ in words.most_common() if w not in explained and textstat.is_difficult_word(w, 3)]
    return Report(
        grade=round(max(textstat.flesch_kincaid_grade(text), 0.0), 1) if text else 0.0,
        reading_ease=round(textstat.flesch_reading_ease(text), 1) if text else 0.0,
        words=textstat.lexicon_count(text),
        sentences=len(all_sentences),
        longest=longest,
        unexplained=hard[:HARD_WORDS_SHOWN],
        target=target(),
    )


def page_text(page):
    """What readers read of an article (with its FAQ) or a fact sheet, as plain sentences."""
    if isinstance(page, Agent):
        # Side effects are one per line: each line is read as a sentence of its own, not one run-on paragraph.
        effects = [part for effect in page.side_effects.all() for part in (effect.name, effect.what_to_do)]
        statements = [line for statement in page.safety_statements.all() for line in statement.lines]
        return prose(page.summary, page.mechanism, *effects, *statements, page.hospital_note)
    items = sorted(page.faq_items.all(), key=lambda item: item.position)  # .all(): served by a prefetch if any
    faq = [part for item in items for part in (item.question, item.answer)]
    return prose(page.summary, page.body, *faq)


def page_type(page):
    return "Fact sheet" if isinstance(page, Agent) else page.get_kind_display()


def _measured(page, explained=None):
    """(Report, unsaved ReadingLevel row) for ``page``'s working copy."""
    text = page_text(page)
    report = measure(text, explained=explained)
    row = ReadingLevel(kind=page._meta.model_name, object_id=page.pk, title=str(page)[:200], page_type=page_type(page),
                       grade=report.grade, reading_ease=report.reading_ease, words=report.words,
                       sentences=report.sentences, text_hash=hashlib.sha256(text.encode()).hexdigest(),
                       measured_at=timezone.now())  # fmt: skip
    return report, row


def _store(rows):
    """Insert or update the rows in one statement, whatever their number."""
    ReadingLevel.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["kind", "object_id"],
        update_fields=["title", "page_type", "grade", "reading_ease", "words", "sentences", "text_hash", "measured_at"],
    )  # fmt: skip


def report_for(page):
    """Measure ``page``'s working copy without storing it: what the change form shows (a GET writes nothing;
    saves and ``manage.py measure_reading`` keep the dashboard's figures)."""
    return _measured(page)[0]


def measure_page(page):
    """Measure ``page``'s working copy and store the figures the dashboard lists; return the Report."""
    report, row = _measured(page)
    _store([row])
    return report


def unmeasured(model, kind):
    """Pages of ``model`` never measured, or changed since they were measured."""
    measured = ReadingLevel.objects.filter(kind=kind, object_id=OuterRef("pk"), measured_at__gte=OuterRef("updated_at"))
    pages = model.objects.exclude(status=model.Status.ARCHIVED).filter(~Exists(measured))
    return pages.filter(language=Article.Language.ENGLISH) if model is Article else pages


def measurable(page):
    """The formulas are for English; Spanish pages (and others) are not scored. Articles and fact sheets are
    stored for the dashboard; a glossary term's admin measures its definition itself."""
    if not isinstance(page, Article | Agent):
        return False
    return getattr(page, "language", Article.Language.ENGLISH) == Article.Language.ENGLISH


def refresh(limit=200):
    """Measure pages changed since their last measurement (at most ``limit`` per call); return how many.

    A constant number of queries however many pages: one read per kind (FAQ items prefetched), one write.
    """
    rows = []
    explained = None
    for model, kind, related in ((Article, "article", ["faq_items"]), (Agent, "agent", [])):
        if len(rows) < limit:
            pages = unmeasured(model, kind).prefetch_related(*related).order_by("pk")[: limit - len(rows)]
            for page in pages:
                explained = explained_terms() if explained is None else explained  # read once, if at all
                rows.append(_measured(page, explained)[1])
    if rows:
        _store(rows)
    for model, kind in ((Article, "article"), (Agent, "agent")):
        # Archived or deleted pages leave the dashboard's list.
        live = model.objects.exclude(status=model.Status.ARCHIVED).values("pk")
        ReadingLevel.objects.filter(kind=kind).exclude(object_id__in=live).delete()
    return len(rows)
