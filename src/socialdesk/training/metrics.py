"""Accuracy, macro-F1 and macro-recall (the TweetEval / SemEval-2017 4A official metric)."""

from __future__ import annotations

from collections.abc import Sequence


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def _per_class(gold: Sequence[str], pred: Sequence[str]) -> dict[str, tuple[float, float, float]]:
    out = {}
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = (precision, recall, f1)
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    per = _per_class(gold, pred)
    return sum(f for _, _, f in per.values()) / len(per) if per else 0.0


def macro_recall(gold: Sequence[str], pred: Sequence[str]) -> float:
    per = _per_class(gold, pred)
    return sum(r for _, r, _ in per.values()) / len(per) if per else 0.0


def stratified_folds(keys: Sequence[str], k: int, seed: int) -> list[int]:
    """Fold number per row, balanced within each key (label, or label+domain), deterministic."""
    import random

    rng = random.Random(seed)  # noqa: S311 -- seeded for reproducible sampling, not security
    by_key: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        by_key.setdefault(key, []).append(i)
    fold = [0] * len(keys)
    offset = 0
    for key in sorted(by_key):
        rows = by_key[key]
        rng.shuffle(rows)
        for j, i in enumerate(rows):
            fold[i] = (j + offset) % k
        offset += len(rows)
    return fold


def group_folds(folds: Sequence[int], groups: Sequence[str]) -> list[int]:
    """`folds` with every row of a group moved to the fold of the group's first row, so that
    identical texts (a data set may hold the same tweet twice) never sit on both sides of a split."""
    first: dict[str, int] = {}
    return [first.setdefault(g, f) for f, g in zip(folds, groups, strict=True)]
