"""Import 10,000 references and 2,000 articles from CSV on PostgreSQL; print rows per second.

Run: make bench-import   (or: .venv/bin/python bench/import_bench.py [--references N] [--articles N])
References are timed with bulk mode on (the default) and off; articles always go row by row, because
their many-to-many fields, ordered references and version history cannot be bulk-inserted safely.
"""

import argparse
import time

from _setup import django_on, machine_description, scratch_database, write_results_section


def make_references(count):
    import tablib

    data = tablib.Dataset(headers=["authors", "title", "container", "year", "volume", "issue", "pages", "doi", "pmid"])
    for n in range(count):
        data.append(
            [
                f"Author{n} AB, Second CD",
                f"A study of cytokine signalling, part {n}",
                "J Bench Oncol",
                1990 + n % 35,
                str(n % 40),
                str(n % 12),
                f"{n}-{n + 9}",
                f"10.5555/bench.{n}",
                str(10_000_000 + n),
            ]
        )
    return data


def make_articles(count, reference_count, agent_slugs, cancer_slugs):
    import tablib

    headers = ["slug", "title", "kind", "language", "summary", "body", "agents", "cancer_types", "references"]
    data = tablib.Dataset(headers=headers)
    for n in range(count):
        refs = "; ".join(f"doi:10.5555/bench.{(n * 5 + k) % reference_count}" for k in range(5))
        data.append(
            [
                f"bench-article-{n}",
                f"Benchmark article {n}",
                "overview",
                "en",
                "A generated article.",
                "Generated text citing [1] and [2].\n\n" * 5,
                agent_slugs[n % len(agent_slugs)],
                cancer_slugs[n % len(cancer_slugs)],
                refs,
            ]
        )
    return data


ROWS = []
COUNTS = []  # what each re-import reported, to show unchanged rows are counted as unchanged


def timed(label, rows, run):
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {rows:>7,} rows {seconds:>8.2f} s {rows / seconds:>10,.0f} rows/s")
    ROWS.append(f"| {label} | {rows:,} | {seconds:.2f} | {rows / seconds:,.0f} |")
    return rows / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--references", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=2_000)
    args = parser.parse_args()

    django_on(scratch_database("cytokine_bench_import"))
    from cytokines.models import Agent, Article, CancerType, Reference
    from cytokines.transfer.content_io import import_dataset

    references = make_references(args.references)
    print(f"machine: {machine_description()}\n")
    Reference.objects.all().delete()
    timed(
        "references, bulk mode (default)",
        len(references),
        lambda: import_dataset("references", references, use_bulk=True),
    )
    Reference.objects.all().delete()
    timed("references, row by row", len(references), lambda: import_dataset("references", references, use_bulk=False))

    # The same file again: every row is known and unchanged, so nothing is written and nothing is "updated".
    summaries = []
    timed("references re-imported unchanged (bulk)", len(references),
          lambda: summaries.append(import_dataset("references", references)))  # fmt: skip
    COUNTS.append(f"re-import unchanged: {summaries[-1].new:,} new, {summaries[-1].updated:,} updated, "
                  f"{summaries[-1].skipped:,} unchanged")  # fmt: skip
    edited = make_references(args.references)
    for n in range(0, len(edited), 10):  # one row in ten corrected (its title), the rest as stored
        row = list(edited[n])
        row[1] += " (corrected)"
        edited[n] = row
    timed("references re-imported, 1 in 10 changed (bulk)", len(edited),
          lambda: summaries.append(import_dataset("references", edited)))  # fmt: skip
    COUNTS.append(f"re-import with 1 in 10 changed: {summaries[-1].new:,} new, {summaries[-1].updated:,} updated, "
                  f"{summaries[-1].skipped:,} unchanged")  # fmt: skip

    cancer = [CancerType.objects.create(name=f"Cancer {n}", slug=f"cancer-{n}").slug for n in range(10)]
    agents = [
        Agent.objects.create(
            name=f"Agent {n}", slug=f"agent-{n}", agent_class="interleukin", summary="x", mechanism="x"
        ).slug
        for n in range(20)
    ]
    articles = make_articles(args.articles, args.references, agents, cancer)
    timed(
        "articles (5 ordered references each), row by row", len(articles), lambda: import_dataset("articles", articles)
    )
    print(f"\narticles stored: {Article.objects.count():,}; references: {Reference.objects.count():,}")
    write_results_section("import", "\n".join([
        "## Import speed (`make bench-import`)",
        "",
        f"Machine: {machine_description()}; PostgreSQL on the same machine; CSV through the same code path as",
        "`import_content` (all-or-nothing, validated rows).",
        "",
        "| import | rows | seconds | rows/s |",
        "|---|---:|---:|---:|",
        *ROWS,
        "",
        *(f"- {line}" for line in COUNTS),
        "",
        "Bulk mode is the default for references and cancer types (no relations, no version history). Articles",
        "go row by row: their many-to-many fields, ordered references and history rows cannot be bulk-inserted",
        "safely.",
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
