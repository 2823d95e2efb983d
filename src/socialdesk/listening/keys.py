"""The strings the matcher looks up in a post: tokens, prefix marks and field facts.

- ``"comcast"``, ``"#comcast"``, ``"@comcast"``: a token. A post holds the bare word of each hashtag and
  mention too, so ``"comcast"`` stands for every form and ``"#comcast"`` for the hashtag only.
- ``PREFIX + "refund"`` (``PREFIX + "#refund"``): some token (some hashtag) starts with ``refund``.
- ``FIELD + "channel:x"``, ``"author:h"``, ``"lang:en"``, ``"is:repost"``, ``"is:reply"``, ``"verified"``:
  facts about the post.
"""

from __future__ import annotations

from typing import Final

from socialdesk.listening.query import Prefix, Term

PREFIX: Final = "\x01"
FIELD: Final = "\x00"


def term_key(term: Term) -> str:
    return term.mark + term.word


def prefix_key(prefix: Prefix) -> str:
    return PREFIX + prefix.mark + prefix.prefix
