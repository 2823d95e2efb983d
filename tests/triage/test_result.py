"""`TriageResult`'s compact row (what crosses the triage process boundary) makes the same result again."""

from __future__ import annotations

import pickle

from socialdesk.triage import Triager, TriageResult
from socialdesk.triage.result import PrivateDataMatch


def test_a_result_survives_its_row_and_a_pickle() -> None:
    result = Triager().triage("call me on 0612345678, my card 4111 1111 1111 1111 was charged twice")
    assert result.private_data, "the example should hold private data"
    row = pickle.loads(pickle.dumps(result.to_row()))  # noqa: S301 (our own bytes: the process boundary)
    again = TriageResult.from_row(row)
    assert again == result
    assert again.to_dict() == result.to_dict()
    assert all(isinstance(m, PrivateDataMatch) for m in again.private_data)


def test_the_row_is_builtins_only() -> None:
    result = TriageResult(
        True, "question", "neutral", 0.0, "en", 12, (PrivateDataMatch("email", 0, 3, "a@b"),), ("x",)
    )
    row = result.to_row()
    assert row == (True, "question", "neutral", 0.0, "en", 12, (("email", 0, 3, "a@b"),), ("x",))
    assert len(pickle.dumps(row)) < len(pickle.dumps(result))
