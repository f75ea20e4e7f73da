"""Linking glossary terms in an article's text: first use only, body text only, any case, other names."""

from cytokines.public.glossary_links import Term, link_terms


def term(slug, *names, definition="Plain words."):
    return Term(slug=slug, name=names[0], names=names, definition=definition, url=f"/glossary/{slug}/")


CYTOKINE = term("cytokine", "cytokine")
IL2 = term("interleukin-2", "interleukin-2", "IL-2")
INTERLEUKIN = term("interleukin", "interleukin")


def links(html):
    return html.count('class="glossary-term"')


def test_only_the_first_use_of_a_term_is_linked_whatever_its_case_or_plural():
    html = link_terms("<p>Cytokines are proteins. A cytokine signals. CYTOKINE again.</p>", [CYTOKINE])
    assert links(html) == 1
    assert '<a class="glossary-term" href="/glossary/cytokine/" data-term="cytokine"' in html
    assert ">Cytokines</a> are proteins. A cytokine signals." in html


def test_an_other_name_links_to_its_term_and_counts_as_its_first_use():
    html = link_terms("<p>IL-2 is given in hospital. Interleukin-2 is strong.</p>", [IL2, INTERLEUKIN])
    assert links(html) == 1
    assert '/glossary/interleukin-2/" data-term="interleukin-2" data-definition="Plain words.">IL-2</a>' in html


def test_the_longest_name_wins_and_words_are_whole():
    html = link_terms("<p>Interleukin-2 and IL-21 and interleukins.</p>", [IL2, INTERLEUKIN])
    assert ">Interleukin-2</a>" in html and ">interleukins</a>" in html
    assert "IL-21" in html and ">IL-21<" not in html


def test_headings_links_code_and_citations_are_never_linked():
    html = ('<h2 id="what">What a cytokine is</h2><p><a href="/x/">cytokine</a> <code>cytokine</code>'
            '<sup><a href="#ref-1">cytokine</a></sup> then a cytokine.</p>')
    linked = link_terms(html, [CYTOKINE])
    assert links(linked) == 1
    assert linked.startswith('<h2 id="what">What a cytokine is</h2><p><a href="/x/">cytokine</a> <code>cytokine</code>')
    assert "then a <a class=\"glossary-term\"" in linked


def test_a_definition_is_escaped_in_its_attribute():
    evil = term("x", "cytokine", definition='"><script>alert(1)</script>')
    html = link_terms("<p>cytokine</p>", [evil])
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


def test_no_terms_leave_the_text_as_it_was():
    assert link_terms("<p>Cytokines.</p>", []) == "<p>Cytokines.</p>"


def test_entities_in_the_text_are_kept():
    html = link_terms("<p>R&amp;D on cytokines &lt;3</p>", [CYTOKINE])
    assert "R&amp;D on <a" in html and "&lt;3" in html


def test_abbreviations_match_only_in_capitals():
    et = term("essential-thrombocythemia", "essential thrombocythemia", "ET")
    html = link_terms("<p>Smith et al. found that ET is rare.</p>", [et])
    assert "Smith et al." in html and ">ET</a> is rare." in html
