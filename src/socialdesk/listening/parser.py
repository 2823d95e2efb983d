"""Parsing query text into a `Query` tree, with errors that say what is wrong and at which column.

Grammar, loosest binding first::

    query   = or
    or      = and { "OR" and }
    and     = unary { ["AND"] unary }          adjacent items are ANDed
    unary   = "NOT" unary | near
    near    = primary [ "NEAR/n" primary ]     sides: term, phrase, wildcard, (x OR y ...) of those
    primary = word | "phrase" | field:value | "(" or ")"
"""

from __future__ import annotations

from socialdesk.listening.errors import QuerySyntaxError
from socialdesk.listening.lexer import Lexeme, lex
from socialdesk.listening.query import (
    AnyOf,
    AuthorIs,
    ChannelIs,
    Comparison,
    Field,
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
    Query,
    Term,
    VerifiedIs,
    all_of,
    any_of,
    phrase_of,
)
from socialdesk.listening.tokens import Token, fold, tokenize

FIELD_NAMES = ("author", "lang", "channel", "followers", "verified", "is")
MIN_PREFIX = 3
MAX_DEPTH = 50
"""How deep parentheses and NOTs may nest, together: deeper queries are refused, naming the column,
before any recursive step (this parser's, the evaluator's or the compiler's) could run out of stack."""
_STARTS = frozenset({"word", "phrase", "field", "(", "NOT"})
_COMPARISONS: tuple[Comparison, ...] = (">=", "<=", ">", "<")


def _term(token: Token) -> Term:
    return Term(token.word, token.mark)


def _wildcard(lexeme: Lexeme) -> Prefix:
    text, column = lexeme.text, lexeme.column
    star = text.index("*")
    if star != len(text) - 1:
        raise QuerySyntaxError("a wildcard * goes only at the end of a word", column + star)
    tokens = tokenize(text[:-1])
    if len(tokens) > 1 or (tokens and str(tokens[0]) != fold(text[:-1])):
        raise QuerySyntaxError("a wildcard must be one word of letters and digits", column)
    if not tokens or len(tokens[0].word) < MIN_PREFIX:
        raise QuerySyntaxError(f"a wildcard needs at least {MIN_PREFIX} letters before the *", column)
    return Prefix(tokens[0].word, tokens[0].mark)


def _word(lexeme: Lexeme) -> Node:
    text = lexeme.text
    if "*" in text:
        return _wildcard(lexeme)
    if text.startswith("-") and len(text) > 1:
        raise QuerySyntaxError("a leading - does not exclude; write NOT before the word", lexeme.column)
    tokens = tokenize(text)
    if not tokens:
        raise QuerySyntaxError(f"{text!r} has no letters or digits to search for", lexeme.column)
    return phrase_of([_term(token) for token in tokens])


def _phrase(lexeme: Lexeme) -> Node:
    star = lexeme.text.find("*")
    if star >= 0:
        raise QuerySyntaxError("wildcards do not work inside quotes", lexeme.column + 1 + star)
    return phrase_of([_term(token) for token in tokenize(lexeme.text)]) if lexeme.text else Phrase(())


def _followers(value: str, column: int) -> FollowersAre:
    for op in _COMPARISONS:
        number = value[len(op) :]
        if value.startswith(op) and number.isdecimal() and number.isascii():
            return FollowersAre(op, int(number))
    raise QuerySyntaxError("followers needs a comparison, like followers:>1000", column)


def _field(lexeme: Lexeme) -> Field:
    name = lexeme.field.lower()
    value = lexeme.text[len(lexeme.field) + 1 :]
    column = lexeme.column + len(lexeme.field) + 1
    if name not in FIELD_NAMES:
        known = ", ".join(FIELD_NAMES)
        raise QuerySyntaxError(
            f"unknown field {lexeme.field!r} (fields are {known}; quote text that has a colon)",
            lexeme.column,
        )
    if not value:
        raise QuerySyntaxError(f"{name}: needs a value right after the colon", column)
    folded = fold(value)
    if name == "author":
        handle = folded.removeprefix("@")
        if not handle:
            raise QuerySyntaxError("author: needs a handle", column)
        return AuthorIs(handle)
    if name == "lang":
        code = folded.replace("_", "-")
        if not all(part.isalnum() and part.isascii() for part in code.split("-")):
            raise QuerySyntaxError("lang: needs a language code, like lang:en or lang:pt-br", column)
        return LangIs(code)
    if name == "channel":
        return ChannelIs(folded)
    if name == "followers":
        return _followers(value, column)
    if name == "verified":
        if folded not in ("true", "false"):
            raise QuerySyntaxError("verified: takes true or false", column)
        return VerifiedIs(folded == "true")
    if folded not in ("repost", "reply"):
        raise QuerySyntaxError("is: takes repost or reply", column)
    return IsRepost() if folded == "repost" else IsReply()


def _positional(node: Node) -> Positional | None:
    if isinstance(node, Term | Phrase | Prefix):
        return node
    if isinstance(node, Or):
        options = [_positional(child) for child in node.children]
        flat: list[Positional] = []
        for option in options:
            if option is None:
                return None
            flat.extend(option.options if isinstance(option, AnyOf) else (option,))
        return AnyOf(tuple(flat))
    return None


class _Parser:
    def __init__(self, text: str) -> None:
        self.lexemes = lex(text)
        self.index = 0
        self.end_column = len(text) + 1
        self.depth = 0

    def enter(self, lexeme: Lexeme) -> None:
        """One level deeper (a parenthesis or a NOT), refused beyond `MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(
                f"the query nests parentheses and NOTs more than {MAX_DEPTH} levels deep", lexeme.column
            )

    def peek(self) -> Lexeme | None:
        return self.lexemes[self.index] if self.index < len(self.lexemes) else None

    def take(self) -> Lexeme:
        lexeme = self.lexemes[self.index]
        self.index += 1
        return lexeme

    def needs_operand(self, operator: Lexeme) -> None:
        following = self.peek()
        if following is None or following.kind not in _STARTS:
            raise QuerySyntaxError(f"{operator.kind} needs something after it", operator.column)

    def parse(self) -> Node:
        if not self.lexemes:
            raise QuerySyntaxError("empty query", 1)
        node = self.parse_or()
        rest = self.peek()
        if rest is not None:
            if rest.kind == ")":
                raise QuerySyntaxError("unbalanced parenthesis", rest.column)
            raise QuerySyntaxError(f"{rest.kind} needs something before it", rest.column)
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (lexeme := self.peek()) is not None and lexeme.kind == "OR":
            self.take()
            self.needs_operand(lexeme)
            children.append(self.parse_and())
        return any_of(children)

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while (lexeme := self.peek()) is not None and (lexeme.kind == "AND" or lexeme.kind in _STARTS):
            if lexeme.kind == "AND":
                self.take()
                self.needs_operand(lexeme)
            children.append(self.parse_unary())
        return all_of(children)

    def parse_unary(self) -> Node:
        lexeme = self.peek()
        if lexeme is not None and lexeme.kind == "NOT":
            self.take()
            self.needs_operand(lexeme)
            self.enter(lexeme)
            node = Not(self.parse_unary())
            self.depth -= 1
            return node
        return self.parse_near()

    def parse_near(self) -> Node:
        start = self.peek()
        left = self.parse_primary()
        near = self.peek()
        if near is None or near.kind != "NEAR":
            return left
        self.take()
        left_side = _positional(left)
        if left_side is None or start is None:
            raise QuerySyntaxError(
                "NEAR joins words, phrases, wildcards or (a OR b) groups of them", near.column
            )
        right_start = self.peek()
        if right_start is None or right_start.kind not in _STARTS:
            raise QuerySyntaxError("NEAR needs something after it", near.column)
        right_side = _positional(self.parse_primary())
        if right_side is None:
            raise QuerySyntaxError(
                "NEAR joins words, phrases, wildcards or (a OR b) groups of them", right_start.column
            )
        following = self.peek()
        if following is not None and following.kind == "NEAR":
            raise QuerySyntaxError("NEAR cannot be chained; join pairs with AND instead", following.column)
        return Near(left_side, right_side, near.distance)

    def parse_primary(self) -> Node:
        lexeme = self.peek()
        if lexeme is None:
            raise QuerySyntaxError("the query ends too early", self.end_column)
        if lexeme.kind == "(":
            self.take()
            closing = self.peek()
            if closing is not None and closing.kind == ")":
                raise QuerySyntaxError("empty parentheses", lexeme.column)
            self.enter(lexeme)
            node = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QuerySyntaxError("unbalanced parenthesis", lexeme.column)
            self.take()
            self.depth -= 1
            return node
        if lexeme.kind == ")":
            raise QuerySyntaxError("unbalanced parenthesis", lexeme.column)
        if lexeme.kind == "word":
            return _word(self.take())
        if lexeme.kind == "phrase":
            return _phrase(self.take())
        if lexeme.kind == "field":
            return _field(self.take())
        raise QuerySyntaxError(f"{lexeme.kind} needs something before it", lexeme.column)


def parse_query(text: str) -> Query:
    """Parse monitor query text; raise `QuerySyntaxError` with a 1-based column when it is not valid."""
    return Query(_Parser(text).parse(), text)
