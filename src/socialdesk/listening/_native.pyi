"""Type stub of the optional C matcher (built from _native.c; see native_plan.py)."""

from collections.abc import Callable, Hashable, Iterable

PLAN_VERSION: int

class Matcher:
    def __init__(
        self,
        words: list[bytes],
        prefixes: list[bytes],
        fields: list[bytes],
        marked: list[int],
        trigger_start: list[int],
        triggers: list[int],
        code: list[int],
        roots: list[int],
        member_start: list[int],
        members: list[int],
        always: list[int],
        field_kinds: int,
        constants: tuple[object, ...],
        ids: tuple[Hashable, ...],
        prepare: Callable[[str], str],
        fold: Callable[[str], str],
        normal_handle: Callable[[str], str],
        normal_lang: Callable[[str], str],
        /,
    ) -> None: ...
    def match_many(self, posts: Iterable[object], /) -> list[list[Hashable]]: ...
    def tokens(self, text: str, /) -> list[str]: ...
