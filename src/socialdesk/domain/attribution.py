"""Signing public replies with the agent's signature, shortening the body to fit the network.

``sign_reply("Thanks, we're on it", "^AB", "x")`` gives ``"Thanks, we're on it ^AB"``. When body and
signature do not fit, the body is cut at the last word boundary that fits, followed by an ellipsis:
never inside a link, a mention or a grapheme cluster. Only when the first word is itself too long is it
cut between grapheme clusters (links and mentions are dropped whole instead).
"""

from __future__ import annotations

from collections.abc import Callable

from socialdesk.domain.errors import DomainError
from socialdesk.domain.graphemes import grapheme_spans
from socialdesk.domain.text_length import count, limit, mention_spans, url_spans

__all__ = ["ELLIPSIS", "SignatureTooLong", "sign_reply"]

ELLIPSIS = "…"


class SignatureTooLong(DomainError):
    """The signature alone does not fit the network's limit."""


def _join(body: str, signature: str) -> str:
    return f"{body} {signature}" if body else signature


def _atomic_spans(text: str) -> list[tuple[int, int]]:
    spans = [(start, end) for start, end in url_spans(text)]
    spans += [(start, end) for start, _, end in mention_spans(text)]
    return spans


def _fits(network: str, text: str, most: int) -> bool:
    return count(network, text) <= most


def sign_reply(text: str, signature: str, network: str) -> str:
    """``text`` followed by a space and ``signature``, shortened to fit ``network``'s limit.

    Raises :class:`SignatureTooLong` when even ``"…" + signature`` does not fit.
    """
    body, signature = text.strip(), signature.strip()
    if not signature:
        raise ValueError("signature is empty")
    most = limit(network)
    signed = _join(body, signature)
    if most is None or _fits(network, signed, most):
        return signed
    if not _fits(network, _join(ELLIPSIS, signature), most):
        raise SignatureTooLong(
            f"the signature {signature!r} does not fit a {network} reply "
            f"({count(network, signature)} of {most}, with an ellipsis and a space)"
        )

    def candidate(cut: int) -> str:
        return _join(body[:cut].rstrip() + ELLIPSIS, signature)

    # Word boundaries: cut before any whitespace that follows a non-space character.
    cuts = [i for i in range(1, len(body)) if body[i].isspace() and not body[i - 1].isspace()]
    best = _last_fitting(cuts, lambda cut: _fits(network, candidate(cut), most))
    if best is not None:
        return candidate(best)
    # The first word alone is too long: cut it between grapheme clusters, unless it is a link or a
    # mention, which are never cut.
    first_end = cuts[0] if cuts else len(body)
    if any(start == 0 for start, _ in _atomic_spans(body)):
        return _join(ELLIPSIS, signature)
    inner = [end for _, end in grapheme_spans(body[:first_end])][:-1]
    best = _last_fitting(inner, lambda cut: _fits(network, candidate(cut), most))
    return candidate(best) if best is not None else _join(ELLIPSIS, signature)


def _last_fitting(cuts: list[int], fits: Callable[[int], bool]) -> int | None:
    """The largest cut for which ``fits`` holds; lengths grow with the cut, so binary search."""
    low, high, found = 0, len(cuts) - 1, None
    while low <= high:
        middle = (low + high) // 2
        if fits(cuts[middle]):
            found = cuts[middle]
            low = middle + 1
        else:
            high = middle - 1
    return found
