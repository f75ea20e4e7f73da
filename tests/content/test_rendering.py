import pytest

from cytokines.content.rendering import render_markdown


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        '<iframe src="https://example.org"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_markdown_is_sanitized(payload):
    html = render_markdown(payload).lower()
    assert "<script" not in html
    assert "onerror" not in html and "onload" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html and "style=" not in html


def test_tables_render_inside_a_scrollable_region():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="table-scroll"' in html


def test_only_known_citations_become_links():
    html = render_markdown("Shown in trials [1] and [7].", cited_positions={1})
    assert 'href="#ref-1" title="Reference 1"' in html
    assert "[7]" in html and "#ref-7" not in html


def test_markdown_links_are_not_mistaken_for_citations():
    html = render_markdown("See [2](https://example.org).", cited_positions={2})
    assert "#ref-2" not in html
    assert 'href="https://example.org"' in html


def test_adjacent_citations_both_link():
    html = render_markdown("Shown twice [2][3].", cited_positions={2, 3})
    assert 'href="#ref-2"' in html and 'href="#ref-3"' in html
