"""Find anything in a page that a browser would run: the oracle for the XSS tests."""

import json
from html.parser import HTMLParser

from django.conf import settings

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "base", "frame", "frameset", "applet", "svg", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}


class ActiveContentFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_jsonld = False
        self._in_own_script = False
        self._jsonld = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json" and "src" not in attributes:
            self._in_jsonld = True
            self._jsonld.append("")
        elif tag == "script" and _own_script(attributes) and len(attributes) <= 2:
            self._in_own_script = True  # the site's own static file (the CSP allows only these); no inline code
        elif tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"style= attribute on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = self._in_own_script = False

    def handle_data(self, data):
        if self._in_jsonld:
            self._jsonld[-1] += data
        elif self._in_own_script and data.strip():
            self.problems.append("inline code inside a <script src> element")

    def close(self):
        super().close()
        for block in self._jsonld:
            try:
                json.loads(block)
            except ValueError:
                self.problems.append("JSON-LD block broken (a payload escaped from it)")


def _own_script(attributes):
    """A ``<script src>`` of one of the site's own JavaScript files, deferred, with nothing else."""
    source = attributes.get("src") or ""
    return (
        source.startswith(settings.STATIC_URL + "js/")
        and source.endswith(".js")
        and set(attributes) <= {"src", "defer"}
    )


def active_content(html):
    finder = ActiveContentFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
