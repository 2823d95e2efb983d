"""The parts of urgency that change after a post was scored: waiting time and corrected labels."""

from __future__ import annotations

from socialdesk.triage.urgency import Labels, aged_urgency, relabel_urgency, wait_points


def test_wait_points_grow_with_each_doubling_and_stop_at_twenty() -> None:
    assert [wait_points(h * 3600) for h in (0, 0.5, 1, 3, 7, 15, 63, 1000)] == [0, 4, 6, 12, 18, 20, 20, 20]
    assert aged_urgency(30, 3 * 3600) == 42
    assert aged_urgency(95, 3 * 3600) == 100  # capped


def test_relabel_moves_only_the_corrected_parts() -> None:
    explanation = ["urgency 62: complaint +25, negative feeling +12, money '$' +20, intensity +5"]
    complaint = Labels("complaint", "negative", True)
    praise = relabel_urgency(62, explanation, complaint, Labels("praise", "negative", True))
    assert praise.score == 37 and "category complaint -> praise -25" in praise.reasons[0]
    calm = relabel_urgency(62, explanation, complaint, Labels("complaint", "neutral", True))
    assert calm.score == 50  # the words' own negative part, +12, taken away
    no_reply = relabel_urgency(62, explanation, complaint, Labels("complaint", "negative", False))
    assert no_reply.score == 52
    assert relabel_urgency(62, explanation, complaint, Labels("spam", "negative", True)).score == 0
    was_spam = relabel_urgency(0, ["urgency 0: spam"], Labels("spam", "neutral", True), complaint)
    assert was_spam.score == 25 + 8  # the new base, and "negative" said by the agent
    assert (
        relabel_urgency(5, [], Labels("praise", "positive", False), Labels("praise", "positive", False)).score
        == 5
    )
