"""Type stub of the optional C scan (built from _scan.c; see scan.py)."""

from collections.abc import Callable

def scan(
    texts: list[str],
    replies: list[bool],
    plans: list[dict[str, tuple[tuple[str, ...], tuple[str, ...], int, int]]],
    plan_missing: Callable[[str, int], tuple[tuple[str, ...], tuple[str, ...], int, int]],
    index: dict[str, int],
    cue_ids: tuple[tuple[int, ...], ...],
    reply_bit: int,
    empty_bit: int,
    feature_mask: int,
    /,
) -> tuple[bytes, bytes, list[list[str]], list[int]]: ...
