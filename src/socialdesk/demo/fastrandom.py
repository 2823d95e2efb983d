"""A `random.Random` whose integer draws are cheaper: demo traffic makes millions of them.

`choice`, `randrange` and `randint` use one `random()` call (53 bits) instead of rejection sampling on
`getrandbits`; uniform enough for made-up posts, and just as deterministic for a seed.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

T = TypeVar("T")


class FastRandom(random.Random):
    def choice(self, seq: SupportsLenAndGetItem[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        if step == 1:
            return start + int(self.random() * (stop - start))
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))
