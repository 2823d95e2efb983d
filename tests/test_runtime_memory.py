"""Long-running processes hide their start-up objects from the cyclic garbage collector."""

from __future__ import annotations

import gc

from socialdesk.runtime import YOUNG_COLLECTION, freeze_startup_objects


def test_startup_objects_are_frozen_and_still_freed() -> None:
    gc.unfreeze()
    kept = [{"model": n} for n in range(1000)]
    threshold = gc.get_threshold()
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() >= len(kept)
        assert gc.isenabled()
        assert gc.get_threshold() == (YOUNG_COLLECTION, *threshold[1:])  # fewer young collections
        survivor = kept.pop()  # frozen objects stay reference-counted
        del kept
        assert survivor == {"model": 999}
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    assert gc.get_freeze_count() == 0
