"""Why an article was suggested for a post: the customer's words it shares and the example question
closest to the post. Pure; shown beside each suggestion in the composer."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.knowledge.index import Document
from socialdesk.knowledge.text import STOPWORDS, stem, tokens, words

MAX_WORDS = 6


@dataclass(frozen=True, slots=True)
class Why:
    words: tuple[str, ...]  # the post's words (folded) found in the article, in the post's order
    question: str | None  # the example question closest to the post, if one shares a word


def explain(post: str, doc: Document) -> Why:
    article_terms = set(tokens(" ".join((doc.title, doc.body, *doc.tags, *doc.questions))))
    matched: list[str] = []
    for word in words(post):
        if word in STOPWORDS or word in matched or stem(word) not in article_terms:
            continue
        matched.append(word)
        if len(matched) == MAX_WORDS:
            break
    mine = set(tokens(post))
    best, question = 0.0, None
    for q in doc.questions:
        theirs = set(tokens(q))
        if not theirs or not mine:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        if score > best:
            best, question = score, q
    return Why(tuple(matched), question)
