"""Signing public replies with the agent's signature. A reply is never shortened to fit.

``sign_reply("Thanks, we're on it", "^AB", "x")`` gives ``"Thanks, we're on it ^AB"``. When body and
signature do not fit the network's limit, :class:`ReplyTooLong` says by how much: the agent shortens
the reply or sends it as a thread (:mod:`socialdesk.domain.reply_thread`). An earlier version cut the
body at a word boundary with an ellipsis, so a 320-character reply went out as "...We are really… ^DA"
without anyone choosing that.
"""

from __future__ import annotations

from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.text_length import count, limit

__all__ = ["ReplyTooLong", "SignatureTooLong", "over_limit", "sign_letter", "sign_reply"]


class SignatureTooLong(ValidationFailed):
    """The signature alone does not fit the network's limit."""


class ReplyTooLong(ValidationFailed):
    """The reply, as it would be sent, is over the network's limit."""

    def __init__(self, network: str, length: int, most: int) -> None:
        super().__init__(
            f"the reply is {length} long as {network} counts it (signature included); {network} allows "
            f"{most}: shorten it by {length - most} or send it as a thread"
        )
        self.network = network
        self.length = length
        self.most = most


def over_limit(network: str, text: str) -> ReplyTooLong | None:
    """The error to raise when ``text`` is over ``network``'s limit, else None."""
    most = limit(network)
    length = count(network, text)
    return ReplyTooLong(network, length, most) if most is not None and length > most else None


def sign_reply(text: str, signature: str, network: str) -> str:
    """``text`` followed by a space and ``signature``, never shortened.

    Raises :class:`SignatureTooLong` when the signature alone (with a space and one character) does
    not fit; the caller checks the whole with :func:`over_limit`.
    """
    body, signature = text.strip(), signature.strip()
    if not signature:
        raise ValueError("signature is empty")
    most = limit(network)
    if most is not None and count(network, "x " + signature) > most:
        raise SignatureTooLong(
            f"the signature {signature!r} does not fit a {network} reply ({count(network, signature)} of "
            f"{most}, with a space and a word)"
        )
    return f"{body} {signature}" if body else signature


def sign_letter(text: str, name: str, signature: str = "") -> str:
    """A letter (an e-mail) signed by the agent who wrote it: the body, a blank line, their name, and
    their own signature on the next line when it is more than their initials (``^AB``). A body that
    already ends with the name is left as it is."""
    body, name = text.rstrip(), name.strip()
    closing = "\n".join(part for part in (name, signature.strip()) if part and not part.startswith("^"))
    if not closing or body.endswith(closing):
        return body
    return f"{body}\n\n{closing}"
