"""Find anything in a page that a browser would run: the oracle for the XSS tests."""

import json
from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "base", "frame", "frameset", "applet", "svg", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}


class ActiveContentFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_jsonld = False
        self._jsonld = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json" and "src" not in attributes:
            self._in_jsonld = True
            self._jsonld.append("")
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
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self._jsonld[-1] += data

    def close(self):
        super().close()
        for block in self._jsonld:
            try:
                json.loads(block)
            except ValueError:
                self.problems.append("JSON-LD block broken (a payload escaped from it)")


def active_content(html):
    finder = ActiveContentFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
