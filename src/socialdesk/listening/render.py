"""Writing a query tree back as canonical query text that parses to the same tree."""

from __future__ import annotations

from socialdesk.listening.query import (
    And,
    AnyOf,
    AuthorIs,
    ChannelIs,
    FollowersAre,
    IsReply,
    IsRepost,
    LangIs,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Positional,
    Prefix,
    Term,
    VerifiedIs,
)


def _positional(node: Positional) -> str:
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_positional(option) for option in node.options) + ")"
    return render(node)


def _operand(node: Node, parent: type[And] | type[Or] | type[Not]) -> str:
    text = render(node)
    needs_parentheses = isinstance(node, Or) or (isinstance(node, And) and parent is Not)
    return f"({text})" if needs_parentheses else text


def render(node: Node) -> str:
    """Canonical text of a node: operators upper-case, words folded, minimal parentheses."""
    if isinstance(node, Term):
        return node.mark + node.word
    if isinstance(node, Prefix):
        return node.mark + node.prefix + "*"
    if isinstance(node, Phrase):
        return '"' + " ".join(term.mark + term.word for term in node.terms) + '"'
    if isinstance(node, Near):
        return f"{_positional(node.left)} NEAR/{node.distance} {_positional(node.right)}"
    if isinstance(node, Not):
        return "NOT " + _operand(node.child, Not)
    if isinstance(node, And):
        return " AND ".join(_operand(child, And) for child in node.children)
    if isinstance(node, Or):
        return " OR ".join(render(child) for child in node.children)
    if isinstance(node, AuthorIs):
        return f"author:{node.handle}"
    if isinstance(node, LangIs):
        return f"lang:{node.code}"
    if isinstance(node, ChannelIs):
        return f"channel:{node.name}"
    if isinstance(node, FollowersAre):
        return f"followers:{node.op}{node.value}"
    if isinstance(node, VerifiedIs):
        return f"verified:{'true' if node.value else 'false'}"
    if isinstance(node, IsRepost):
        return "is:repost"
    if isinstance(node, IsReply):
        return "is:reply"
    raise TypeError(f"not a query node: {node!r}")
