"""An entry's Markdown as safe HTML: markdown-it-py ("commonmark", raw HTML off), then nh3 with a
tight allow-list, so nothing a user types can run script, load a resource or carry a style.

Headings shift so that the highest becomes <h2>: the page's own title is the only <h1>.
Links keep http, https and mailto only and get rel="noopener noreferrer". No images.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

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
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _shift_heading(renderer, tokens, idx, options, env):
    token = tokens[idx]
    level = min(int(token.tag[1]) + env.get("shift", 1), 6)
    token.tag = f"h{level}"
    return renderer.renderToken(tokens, idx, options, env)


_md.add_render_rule("heading_open", _shift_heading)
_md.add_render_rule("heading_close", _shift_heading)


def render_markdown(text: str) -> SafeString:
    tokens = _md.parse(text or "")
    # the text's highest heading becomes <h2>, whatever level its author started at: headings
    # never skip a level below the page's <h1>
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    env = {"shift": 2 - min(levels) if levels else 1}
    html = _md.renderer.render(tokens, _md.options, env)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "svg", "math"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3 just above
