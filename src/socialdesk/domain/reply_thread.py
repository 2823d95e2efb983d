"""Splitting a reply that is over the network's limit into a numbered thread.

``split_thread(text, "x", "^AB")`` gives parts ``"1/3 ..."``, ``"2/3 ..."``, ``"3/3 ... ^AB"``: each
within the limit as the network counts it, cut only between words (inside a word only when one word
alone is too long, then between grapheme clusters), the signature on the last part only. The parts'
``body`` slices joined give back ``text`` exactly; each is sent stripped after its number.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.graphemes import grapheme_spans
from socialdesk.domain.text_length import count, limit

__all__ = ["ThreadPart", "split_thread"]

MAX_PARTS = 25


@dataclass(frozen=True, slots=True)
class ThreadPart:
    body: str  # the slice of the reply's text this part carries (with its surrounding spaces)
    text: str  # as sent: "i/n body", and the signature after the last part's body


def _render(index: int, total: int, body: str, signature: str, last: bool) -> str:
    text = f"{index}/{total} {body.strip()}"
    return f"{text} {signature}" if last and signature else text


def _cuts(rest: str) -> list[int]:
    """Where a non-last part may end: after each run of spaces that has text after it."""
    out = []
    for i in range(1, len(rest)):
        if not rest[i].isspace() and rest[i - 1].isspace():
            out.append(i)
    return out


def _pack(text: str, network: str, most: int, signature: str, total: int) -> list[str]:
    bodies: list[str] = []
    position = 0
    while position < len(text):
        index = len(bodies) + 1
        rest = text[position:]

        def fits(body: str, last: bool, index: int = index) -> bool:
            return count(network, _render(index, total, body, signature, last)) <= most

        if fits(rest, last=True):
            bodies.append(rest)
            break
        best = None
        for cut in _cuts(rest):  # counts grow with whole words added, so stop at the first misfit
            if not rest[:cut].strip():
                continue
            if not fits(rest[:cut], last=False):
                break
            best = cut
        if best is None:  # the first word alone is too long: cut it between grapheme clusters
            lead = len(rest) - len(rest.lstrip())
            word_end = next((i for i in range(lead, len(rest)) if rest[i].isspace()), len(rest))
            ends = [end for _, end in grapheme_spans(rest[:word_end]) if lead < end < len(rest)]
            for end in ends:  # ascending; stop at the first misfit
                if not fits(rest[:end], last=False):
                    break
                best = end
            if best is None:
                raise ValidationFailed(f"a {network} thread part cannot hold even one character")
        bodies.append(rest[:best])
        position += best
    return bodies


def split_thread(text: str, network: str, signature: str = "") -> list[ThreadPart]:
    """``text`` as numbered parts within ``network``'s limit; see the module docstring.

    A text that fits in one post (with the signature) is one part, unnumbered. Raises
    :class:`ValidationFailed` for an empty text or one that needs more than ``MAX_PARTS`` parts.
    """
    signature = signature.strip()
    if not text.strip():
        raise ValidationFailed("reply text is empty")
    most = limit(network)
    whole = f"{text.strip()} {signature}" if signature else text.strip()
    if most is None or count(network, whole) <= most:
        return [ThreadPart(text, whole)]
    total = 2
    while True:
        bodies = _pack(text, network, most, signature, total)
        if len(bodies) > MAX_PARTS:
            raise ValidationFailed(
                f"the reply would need {len(bodies)} {network} posts; a thread has at most {MAX_PARTS}"
            )
        if len(bodies) <= total:  # fewer parts than numbered: numbers only get shorter, all still fit
            n = len(bodies)
            return [
                ThreadPart(body, _render(i, n, body, signature, i == n)) for i, body in enumerate(bodies, 1)
            ]
        total = len(bodies)
