"""An entry's Markdown never carries script, event handlers, dangerous URLs, frames or styles
into the page: markdown-it without HTML, then nh3's allow-list."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from bestpractices.markdown import render_markdown
from tests.bestpractices.factories import adopted_entry

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "![x](javascript:alert(1))",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<div onclick="alert(1)">x</div>',
    "<object data=x></object><embed src=x>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "[x](vbscript:msgbox(1))",
    '<form action="https://evil.example"><input></form>',
    "<!-- <script>alert(1)</script> -->",
]
ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
}


class Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def dangers(html: str) -> list[str]:
    parser = Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "src", "srcdoc"):
                problems.append(f"{tag}[{name}]")
            if name == "href" and not (value or "").startswith(("https://", "http://", "mailto:")):
                problems.append(f"href={value}")
    return problems


@pytest.mark.parametrize("payload", XSS)
def test_payload_is_neutralised(payload):
    html = str(render_markdown(f"Tekst\n\n{payload}\n\n*nog meer*"))
    assert dangers(html) == [], html
    assert "<em>nog meer</em>" in html


def test_the_checker_itself_sees_a_dangerous_element():
    assert dangers('<img src=x onerror="alert(1)"><a href="javascript:x">y</a>') == [
        "<img>",
        "img[src]",
        "img[onerror]",
        "href=javascript:x",
    ]


def test_ordinary_markdown_renders_with_safe_links():
    html = render_markdown("# Kop\n\n- een\n- twee\n\n[Loket](https://www.juridischloket.nl)")
    assert "<h2>Kop</h2>" in html and "<li>een</li>" in html
    assert 'href="https://www.juridischloket.nl"' in html
    assert 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize("payload", XSS[:6])
def test_the_entry_page_shows_payloads_as_harmless_text(login, anna, payload):
    entry = adopted_entry(body=payload)
    page = login(anna).get(reverse("bestpractices:entry", args=[entry.slug])).text
    body = page.split('class="entry-body mb-4">', 1)[1].split("</div>", 1)[0]
    assert dangers(body) == [], body
