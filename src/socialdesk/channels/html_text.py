"""HTML (Mastodon statuses, feed summaries) -> plain text: tags stripped, line breaks kept, entities decoded.

``<br>`` is a line break, each ``<p>`` a paragraph (a blank line between) and each ``<div>`` or table row
ends a line; what ``<script>``, ``<style>`` and ``<head>`` hold is no text and is dropped. Mention links
become ``@user@domain`` (the full account, as Mastodon counts and as brand handles are written) when the
status's ``mentions`` list names their URL; link text keeps its hidden parts (``https://``, the tail
Mastodon shortens with an ellipsis), so links come back whole.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {"p", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_LINES = {"div", "tr"}  # each ends a line (HTML mail lays text out in them)
_HIDDEN = {"script", "style", "head", "title", "template"}  # their content is never text


class _Extractor(HTMLParser):
    def __init__(self, mentions: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.mentions = mentions
        self.parts: list[str] = []
        self.skip_depth = 0  # inside a mention link we already wrote out
        self.hidden = 0  # inside a script, style or head: nothing of it is text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
            return
        if self.skip_depth:
            self.skip_depth += tag != "br"
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self._paragraph()
        elif tag == "li":
            self._line()
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href in self.mentions:
                self.parts.append("@" + self.mentions[href])
                self.skip_depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.skip_depth:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif self.skip_depth:
            self.skip_depth -= tag != "br"
        elif tag in _BLOCKS:
            self._paragraph()
        elif tag in _LINES:
            self._line()

    def handle_data(self, data: str) -> None:
        if not self.skip_depth and not self.hidden:
            self.parts.append(data)

    def _line(self) -> None:
        if self.parts and not "".join(self.parts[-1:]).endswith("\n"):
            self.parts.append("\n")

    def _paragraph(self) -> None:
        if self.parts:
            self.parts.append("\n\n")


def html_to_text(content: str, mentions: dict[str, str] | None = None) -> str:
    """Plain text of ``content``; ``mentions`` maps a mention's profile URL to ``user@domain``."""
    extractor = _Extractor(mentions or {})
    extractor.feed(content)
    extractor.close()
    text = "".join(extractor.parts)
    lines = [line.rstrip() for line in text.split("\n")]
    # Collapse runs of blank lines that adjacent blocks produce into one blank line.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
