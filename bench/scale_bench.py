"""Does every page's cost stay flat as the content grows? (make bench-scale)

Run: make bench-scale   (or: .venv/bin/python bench/scale_bench.py [--sizes 1000 10000 100000] [--requests 30])

For each size N it fills a scratch PostgreSQL database with N published articles of realistic shape
(800-word bodies, ten references each, FAQ items on one in ten, two cancer types and one or two
medicines each, a few hundred medicines), made live the way the workflow makes them (immutable
revisions; the search index filled by the same trigger production uses), then times every public page,
admin list and change form, the dashboard, the feeds and the calendar in this process with the
production settings and the whole-page cache switched off: median and p95 over ``--requests`` requests
after a warm-up, the number of queries and the size of the answer. The table goes to bench/RESULTS.md.

The generator is reproducible (fixed seed) and writes with bulk inserts: 100,000 articles take a few
minutes to build here, the timing a few more.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time

from _setup import django_on, machine_description, scratch_database, write_results_section

SEED = 27
TARGETS = {"public_ms": 50, "public_growth": 1.5, "admin_ms": 300, "max_bytes": 500_000}
WORDS = (
    "cytokines are proteins that carry messages between cells of the immune system treatment with "
    "interleukin or interferon can help the body fight some cancers your care team will check your blood "
    "pressure kidneys liver and thyroid before and during each course tell them about fever chills or "
    "breathing problems at once"
).split()


# --- data ---------------------------------------------------------------------------------------


def _body(rng):
    paragraphs = []
    for section in range(8):
        words = [rng.choice(WORDS) for _ in range(100)]
        paragraphs.append(f"## Section {section + 1}\n\n" + " ".join(words).capitalize() + f" [{section % 10 + 1}].")
    return "\n\n".join(paragraphs)


def build(n):
    """Fill the database with ``n`` live articles and return what the page list needs (slugs, ids)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from cytokines.content.agents import Agent, RegulatoryApproval
    from cytokines.content.articles import Article, ArticleReference, FaqItem
    from cytokines.content.library import CancerType, Contributor, Reference
    from cytokines.content.reviewed import add_months
    from cytokines.content.revisions import ArticleRevision
    from cytokines.review import snapshots

    rng = random.Random(SEED)
    today = timezone.localdate()
    agents_count, refs_count = min(300, max(30, n // 50)), max(2_000, n // 2)
    editor = get_user_model().objects.create_superuser("bench-editor", "editor@example.org", "bench-password")

    def reviewed(days_ago, months):
        last = today - datetime.timedelta(days=days_ago)
        return {"status": "published", "last_reviewed": last, "last_revised": last,
                "next_review_due": add_months(last, months), "published_at": timezone.now()}  # fmt: skip

    with transaction.atomic():
        cancers = CancerType.objects.bulk_create(
            CancerType(name=f"Cancer type {k}", slug=f"cancer-type-{k}", summary="About this cancer.")
            for k in range(40)
        )
        people = Contributor.objects.bulk_create(
            Contributor(name=f"Dr Reviewer {k}", slug=f"dr-reviewer-{k}", credentials="MD",
                        role="medical_reviewer" if k % 2 else "writer")
            for k in range(50)
        )  # fmt: skip
        refs = Reference.objects.bulk_create(
            (
                Reference(authors="Author A, Author B, Author C", title=f"Trial of cytokine therapy number {k}",
                          container="J Clin Oncol", year=1990 + k % 35, volume=str(k % 40), issue=str(k % 12),
                          pages=f"{k}-{k + 9}", doi=f"10.5555/bench.{k}", pmid=str(20_000_000 + k))
                for k in range(refs_count)
            ),
            batch_size=5_000,
        )  # fmt: skip
        agents = Agent.objects.bulk_create(
            Agent(name=f"Interleukin-{k + 100}", slug=f"interleukin-{k + 100}", agent_class="interleukin",
                  nonproprietary_name=f"benchleukin {k}", brand_names=f"Benchkine{k}", summary="A benchmark agent.",
                  mechanism="Signals to T cells [1]. " * 10, routes=["iv", "sc"],
                  **reviewed(rng.randint(1, 300), 12))
            for k in range(agents_count)
        )  # fmt: skip
        RegulatoryApproval.objects.bulk_create(
            RegulatoryApproval(agent=a, regulator="fda", status="approved", year_approved=2000) for a in agents
        )
        RegulatoryApproval.cancer_types.through.objects.bulk_create(
            RegulatoryApproval.cancer_types.through(regulatoryapproval=approval, cancertype=cancers[k % len(cancers)])
            for k, approval in enumerate(RegulatoryApproval.objects.all())
        )
        Agent.references.through.objects.bulk_create(
            Agent.references.through(agent=a, reference=refs[k]) for k, a in enumerate(agents)
        )

    kinds = [choice for choice, _ in Article.Kind.choices]
    template_body = _body(rng)
    made = 0
    batch_size = 2_000
    while made < n:
        size = min(batch_size, n - made)
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                Article(title=f"Understanding cytokine treatment, part {made + k}", slug=f"article-{made + k}",
                        summary="What this treatment is, who has it and what to expect.", body=template_body,
                        kind=kinds[(made + k) % len(kinds)], is_featured=made + k < 6, owner=editor,
                        **reviewed(rng.randint(1, 1_200), 36))
                for k in range(size)
            )  # fmt: skip
            ArticleReference.objects.bulk_create(
                ArticleReference(article=a, reference=refs[(a.pk * 7 + p * 13) % len(refs)], position=p + 1)
                for a in articles
                for p in range(10)
            )
            FaqItem.objects.bulk_create(
                FaqItem(article=a, question=f"Question {q + 1}?", answer="An answer that cites a trial [1].",
                        position=q + 1)
                for a in articles
                if a.pk % 10 == 0
                for q in range(3)
            )  # fmt: skip
            through = Article.cancer_types.through
            through.objects.bulk_create(
                through(article=a, cancertype=cancers[(a.pk + j * 17) % len(cancers)]) for a in articles for j in (0, 1)
            )
            Article.agents.through.objects.bulk_create(
                Article.agents.through(article=a, agent=agents[(a.pk + j * 31) % len(agents)])
                for a in articles
                for j in range(1 + a.pk % 2)
            )
            Article.authors.through.objects.bulk_create(
                Article.authors.through(article=a, contributor=people[a.pk % 25 * 2]) for a in articles
            )
            Article.reviewers.through.objects.bulk_create(
                Article.reviewers.through(article=a, contributor=people[a.pk % 25 * 2 + 1]) for a in articles
            )
            revisions = _revisions_for(articles, snapshots, ArticleRevision, refs)
            ArticleRevision.objects.bulk_create(revisions)
            for name, attribute in (("cancer_types", "cancertype_id"), ("agents", "agent_id")):
                model_through = getattr(ArticleRevision, name).through
                source = getattr(Article, name).through.objects.filter(article__in=articles)
                by_article = {}
                for article_id, other in source.values_list("article_id", attribute):
                    by_article.setdefault(article_id, []).append(other)
                model_through.objects.bulk_create(
                    model_through(articlerevision_id=r.pk, **{attribute: other})
                    for r in revisions
                    for other in by_article.get(r.article_id, [])
                )
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE cytokines_article a SET live_revision_id = r.id FROM cytokines_articlerevision r "
                    "WHERE r.article_id = a.id AND a.id = ANY(%s)",
                    [[a.pk for a in articles]],
                )
        made += size
        print(f"  {made:,} articles", end="\r", flush=True)
    _make_agents_live()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print()
    heavy = Article.objects.order_by("pk").first()
    with transaction.atomic():
        # One working copy with 50 references, for the change form's figure.
        ArticleReference.objects.filter(article=heavy).delete()
        ArticleReference.objects.bulk_create(
            ArticleReference(article=heavy, reference=refs[p * 3], position=p + 1) for p in range(50)
        )
    return {"editor": editor, "heavy_article": heavy.pk, "agent": agents[0], "cancer": cancers[0],
            "reference": refs[0].pk}


def _revisions_for(articles, snapshots, ArticleRevision, refs):
    """Unsaved live revisions for a batch, as the workflow makes them.

    The generated pages share one body text, so the workflow's own snapshot is built for the first page
    of the batch (rendered Markdown, numbered citations, contents, people) and the others reuse it with
    their own title, slug, references and fingerprint: the rows have the production shape at a fraction of
    the cost of rendering 100,000 identical bodies.
    """
    from cytokines.content.articles import ArticleReference, FaqItem
    from cytokines.content.saved_index import stored_bucket

    approvers = {"medical": {"name": "Dr Reviewer 1", "credentials": "MD", "username": ""},
                 "editor": {"name": "Bench Editor", "credentials": "", "username": "bench-editor"}}  # fmt: skip
    templates = {}
    for has_faq in (False, True):
        sample = next((a for a in articles if (a.pk % 10 == 0) == has_faq), None)
        if sample is not None:
            templates[has_faq] = snapshots.article_snapshot(sample)[0]
    links = {}
    for article_id, position, reference_id in ArticleReference.objects.filter(article__in=articles).values_list(
        "article_id", "position", "reference_id"
    ):
        links.setdefault(article_id, []).append((position, reference_id))
    by_pk = {ref.pk: ref for ref in refs}
    faq_ids = set(FaqItem.objects.filter(article__in=articles).values_list("article_id", flat=True))
    revisions = []
    for article in articles:
        fields = templates[article.pk in faq_ids]
        backlinks = {r["position"]: r["backlinks"] for r in fields["content"]["references"]}
        references = [{**snapshots._reference(position, by_pk[ref_id]), "backlinks": backlinks.get(position, [])}
                      for position, ref_id in sorted(links[article.pk])]  # fmt: skip
        content = {**fields["content"], "references": references}
        revisions.append(ArticleRevision(
            article=article, number=1, approvers=approvers, title=article.title, slug=article.slug,
            index_bucket=stored_bucket(article.slug), summary=article.summary, kind=article.kind,
            language=article.language, is_featured=article.is_featured,
            content=content, fingerprint=snapshots.fingerprint(content, title=article.title, summary=article.summary),
        ))  # fmt: skip
    return revisions


def _make_agents_live():
    """Fact sheets reach readers as live revisions, made the way the workflow makes them."""
    from cytokines.content.agents import Agent
    from cytokines.review import publishing

    publishing.first_revisions(Agent)


# --- timing ---------------------------------------------------------------------------------------


def pages(data):
    from django.urls import reverse

    from cytokines.content.saved_index import bucket_count, slug_bucket
    from cytokines.public.saved import library_size
    from cytokines.review.calendar_tokens import calendar_token_issue

    articles = data["article_count"]
    count = bucket_count(library_size())  # as the saved-pages page tells the browser
    bucket = slug_bucket(f"article-{articles // 2}", count)  # a reader who saved the article page timed here
    token = calendar_token_issue(data["editor"]).token
    public = [
        ("home", "/"),
        ("article list, page 1", reverse("cytokines:article-list")),
        ("article list, last page", reverse("cytokines:article-list") + f"?page={max(1, -(-articles // 30))}"),
        ("article", reverse("cytokines:article-detail", args=[f"article-{articles // 2}"])),
        ("medicines A-Z", reverse("cytokines:agent-list")),
        ("medicine", reverse("cytokines:agent-detail", args=[data["agent"].slug])),
        ("cancer type", reverse("cytokines:cancer-type-detail", args=[data["cancer"].slug])),
        ("search, many hits", reverse("cytokines:search") + "?q=interleukin"),
        ("search, no hits", reverse("cytokines:search") + "?q=zzyzx+quixotic"),
        ("RSS feed", reverse("cytokines:feed-rss")),
        ("Atom feed", reverse("cytokines:feed-atom")),
        ("sitemap", "/sitemap.xml"),
        ("saved pages index, one bucket", reverse("cytokines:saved-pages-bucket", args=[count, bucket])),
    ]
    staff = [
        ("admin: articles", reverse("admin:cytokines_article_changelist")),
        ("admin: articles, search", reverse("admin:cytokines_article_changelist") + "?q=interleukin"),
        ("admin: article change form (50 refs)",
         reverse("admin:cytokines_article_change", args=[data["heavy_article"]])),
        ("admin: references", reverse("admin:cytokines_reference_changelist")),
        ("admin: reference change form", reverse("admin:cytokines_reference_change", args=[data["reference"]])),
        ("admin: medicines", reverse("admin:cytokines_agent_changelist")),
        ("admin: medicine change form", reverse("admin:cytokines_agent_change", args=[data["agent"].pk])),
        ("admin: cancer types", reverse("admin:cytokines_cancertype_changelist")),
        ("admin: contributors", reverse("admin:cytokines_contributor_changelist")),
        ("admin: review history", reverse("admin:cytokines_reviewevent_changelist")),
        ("admin: review dashboard", reverse("admin:cytokines_review_dashboard")),
        ("staff calendar feed", reverse("cytokines:review-calendar", args=[token])),
    ]  # fmt: skip
    return public, staff


def _sitemap_sections(client):
    """The first page of the articles section that /sitemap.xml names (the one that grows)."""
    import re

    body = client.get("/sitemap.xml").content.decode()
    sections = [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", body)]
    return [("sitemap: articles section", path) for path in sections if "articles" in path][:1]


def _use(url):
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict.update(_parse(url))


def _time(client, path, times, count):
    for _ in range(count):
        began = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
    return response


def measure_all(sizes, requests):
    """Time every page on every size in interleaved rounds, so a busy machine weighs on all sizes alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rounds, per_round = max(1, requests // 5), min(5, requests)
    results = {n: {} for n in sizes}
    for kind in ("public", "admin"):
        for label_index in range(100):
            rows = {}
            for n, (_url, data) in sizes.items():
                public, staff = data["pages"]
                listing = public if kind == "public" else staff
                if label_index >= len(listing):
                    break
                rows[n] = listing[label_index]
            if not rows:
                break
            label = next(iter(rows.values()))[0]
            times = {n: [] for n in rows}
            statuses = {}
            for _ in range(rounds):
                for n, (_label, path) in rows.items():
                    url, data = sizes[n]
                    _use(url)
                    client = data["clients"][kind]
                    statuses[n] = client.get(path).status_code  # warm-up after the switch
                    if statuses[n] == 200:
                        _time(client, path, times[n], per_round)
            for n, (_label, path) in rows.items():
                url, data = sizes[n]
                if statuses[n] != 200:
                    results[n][label] = {"kind": kind, "status": statuses[n]}
                    continue
                _use(url)
                with CaptureQueriesContext(connection) as queries:
                    response = data["clients"][kind].get(path)
                ordered = sorted(times[n])
                results[n][label] = {
                    "kind": kind, "status": response.status_code, "median": statistics.median(ordered),
                    "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
                    "queries": len(queries), "bytes": len(response.content),
                }  # fmt: skip
            print(f"  {label}: " + "; ".join(f"{n:,}: {_fmt(results[n][label])}" for n in rows))
    return results


def build_size(n):
    from django.core.management import call_command
    from django.test import Client

    print(f"--- building {n:,} articles")
    url = scratch_database(f"cytokine_scale_{n}")
    _use(url)
    call_command("migrate", verbosity=0)
    began = time.monotonic()
    data = build(n)
    data["article_count"] = n
    built = time.monotonic() - began
    print(f"  built in {built:.0f} s")
    reader, editor = Client(), Client()
    editor.force_login(data["editor"])
    public, staff = pages(data)
    data["pages"] = (public + _sitemap_sections(reader), staff)
    data["clients"] = {"public": reader, "admin": editor}
    return url, data, built


def _parse(url):
    import dj_database_url

    parsed = dj_database_url.parse(url)
    return {key: parsed[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}


def _fmt(row):
    if "median" not in row:
        return f"answered {row['status']}"
    return f"{row['median']:.1f} ms median, {row['p95']:.1f} p95, {row['queries']} queries, {row['bytes']:,} bytes"


def report(sizes, built, by_size, requests, seconds):
    largest, previous = sizes[-1], sizes[-2] if len(sizes) > 1 else None
    header = (
        "| page | "
        + " | ".join(f"{n:,} ms" for n in sizes)
        + f" | p95 at {largest:,} | queries | KB at {largest:,} | met |"
    )
    lines = [header, "|---|" + "---:|" * (len(sizes) + 3) + "---|"]
    misses = []
    for label, row in by_size[largest].items():
        cells = []
        for n in sizes:
            cell = by_size[n].get(label, {})
            cells.append(f"{cell['median']:.1f}" if "median" in cell else str(cell.get("status", "-")))
        if "median" not in row:
            lines.append(f"| {label} | " + " | ".join(cells) + f" | - | - | - | NO (answered {row['status']}) |")
            misses.append(label)
            continue
        problems = []
        limit = TARGETS["public_ms"] if row["kind"] == "public" else TARGETS["admin_ms"]
        if row["median"] > limit:
            problems.append(f"over {limit} ms")
        earlier = by_size[previous].get(label, {}) if previous else {}
        if (
            row["kind"] == "public"
            and "median" in earlier
            and row["median"] > TARGETS["public_growth"] * max(earlier["median"], 1.0)
        ):
            problems.append(f"over {TARGETS['public_growth']}× its {previous:,} figure")
        if row["bytes"] > TARGETS["max_bytes"]:
            problems.append("over 500 KB")
        if problems:
            misses.append(label)
        met = "yes" if not problems else "NO: " + ", ".join(problems)
        figures = f"{row['p95']:.1f} | {row['queries']} | {row['bytes'] / 1000:,.1f}"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {figures} | {met} |")
    text = f"""## Flat at scale (`make bench-scale`)

Measured {time.strftime("%d %B %Y")} with `make bench-scale` (bench/scale_bench.py), {seconds / 60:.1f} minutes in all.

- Machine: {machine_description()}.
- Data: N published articles (800-word bodies, 10 references each, FAQ on one in ten, 2 cancer types and
  1-2 medicines each; {", ".join(f"{n:,}" for n in sizes)}), made live as immutable revisions with the search
  index filled by the production trigger; built in {", ".join(f"{b:.0f} s" for b in built)}.
- Each page in-process with the production settings and the whole-page cache off: median and p95 of
  {requests} requests, taken in interleaved rounds of five across the sizes (so a busy machine weighs on
  every size alike), the queries of one more request, and its size. Staff pages as a signed-in Editor
  (superuser).
- Targets at {largest:,}: public pages under {TARGETS["public_ms"]} ms median and at most
  {TARGETS["public_growth"]}× their {previous or largest:,} figure;
  admin pages under {TARGETS["admin_ms"]} ms; no page over 500 KB.

{chr(10).join(lines)}

Targets missed: {", ".join(misses) if misses else "none"}.
"""
    print(text)
    write_results_section("scale", text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    began = time.monotonic()
    os.environ.setdefault("REDIS_URL", "")
    django_on(scratch_database("cytokine_scale_setup"), PUBLIC_PAGE_CACHE="0", SECURE_SSL_REDIRECT="0",
              ALLOWED_HOSTS="testserver,127.0.0.1,localhost", LOG_LEVEL="ERROR")  # fmt: skip
    from django.core.management import call_command

    call_command("collectstatic", "--no-input", verbosity=0)
    sizes, built = {}, []
    for n in args.sizes:
        url, data, seconds = build_size(n)
        sizes[n] = (url, data)
        built.append(seconds)
    by_size = measure_all(sizes, args.requests)
    report(args.sizes, built, by_size, args.requests, time.monotonic() - began)


if __name__ == "__main__":
    sys.exit(main())
