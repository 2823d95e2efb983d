"""Knowledge-base articles' Markdown as safe HTML: CommonMark by markdown-it-py with raw HTML off
(written HTML shows as text), no images (nothing loads from elsewhere), and links only to http,
https and mailto addresses (any other link stays text), each opened with rel="nofollow noopener
noreferrer"."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

SCHEMES = ("http://", "https://", "mailto:")


def safe_link(url: str) -> bool:
    """Only absolute http, https and mailto links (after markdown-it's own decoding and normalising)."""
    return url.strip().lower().startswith(SCHEMES)


def _link_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    rendered: str = renderer.renderToken(tokens, idx, options, env)
    return rendered


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = safe_link  # type: ignore[method-assign]
    md.add_render_rule("link_open", _link_open)
    return md


_MD = _parser()


@lru_cache(maxsize=128)  # a pathological body (50,000 "[") takes about a second: once per version
def render_markdown(text: str) -> Markup:
    """The article body as HTML: every piece of text escaped by the renderer, only the markup above."""
    return Markup(_MD.render(text))  # noqa: S704 - markdown-it with html off escapes all text
