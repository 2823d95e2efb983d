"""The streaming detector's decisions equal the plain reference's (domain/incidents/reference.py) on
generated streams: every incident opened (when, by which post and key, with which keywords), every
post that joined, every close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from socialdesk.domain.incidents.detector import DetectorConfig, DetectorPost, IncidentDetector
from socialdesk.domain.incidents.events import DetectorEvent, IncidentClosed, IncidentOpened, PostJoined
from socialdesk.domain.incidents.reference import ReferenceDetector

T0 = datetime(2026, 1, 5, 23, 10, tzinfo=UTC)
WORDS = ("leeds", "york", "wifi", "app", "down", "outage", "not working", "lol", "great", "@acme", "bill")


@st.composite
def streams(draw: st.DrawFn) -> list[DetectorPost]:
    n = draw(st.integers(1, 50))
    at = T0 + timedelta(hours=draw(st.sampled_from((0, 30))))
    posts = []
    for i in range(n):
        # Mostly forward; sometimes a post from the past (read as if it came now); now and then a long gap.
        step = draw(st.one_of(st.integers(0, 400), st.integers(-300, 0), st.just(7200)))
        at = at + timedelta(seconds=step)
        text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)))
        posts.append(
            DetectorPost(
                id=f"p{i}",
                author=draw(st.sampled_from(("a", "b", "c", "d", "e", "f"))),
                text=text,
                created_at=at,
                channel=draw(st.sampled_from(("x", "mastodon"))),
                monitors=tuple(draw(st.lists(st.sampled_from(("care", "outages")), max_size=2, unique=True))),
                is_repost=draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()),
            )
        )
    return posts


configs = st.builds(
    DetectorConfig,
    window=st.sampled_from((timedelta(minutes=10), timedelta(minutes=30))),
    min_authors=st.integers(1, 4),
    threshold=st.sampled_from((0.0, 0.5, 1.0, 2.0, 4.0)),
    persistence=st.integers(1, 3),
    min_distinct_texts=st.integers(1, 3),
    quiet=st.sampled_from((timedelta(minutes=15), timedelta(minutes=60))),
    half_life=st.sampled_from((timedelta(hours=1), timedelta(days=7))),
    join_share=st.sampled_from((0.0, 0.3, 1.0)),
    warmup=st.sampled_from((timedelta(0), timedelta(minutes=3), timedelta(minutes=10))),
    share_confidence=st.sampled_from((0.0, 1.0, 1.5)),
)


def _plain(events: list[DetectorEvent]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for e in events:
        if isinstance(e, IncidentOpened):
            i = e.incident
            out.append(("open", i.id, i.key, i.detected_at, i.fired_by, tuple(i.keywords), i.surprise))
        elif isinstance(e, PostJoined):
            out.append(("join", e.incident_id, e.post_id, e.at))
        elif isinstance(e, IncidentClosed):
            out.append(("close", e.incident_id, e.at))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts=streams(), config=configs)
def test_the_detector_decides_as_the_reference(posts: list[DetectorPost], config: DetectorConfig) -> None:
    fast, slow = IncidentDetector(config), ReferenceDetector(config)
    opened = 0
    for post in posts:
        events = _plain(fast.feed(post))
        assert events == _plain(slow.feed(post)), post.id
        opened += sum(1 for e in events if e[0] == "open")
    target(float(opened))  # steer the search toward streams that open (and join) incidents
    # What each incident ended with: its keys (keys taken in later), join keys and members.
    assert [(i.keys, i.join_keys, [m.post_id for m in i.members]) for i in fast.open] == [
        (i.keys, i.join_keys, [m.post_id for m in i.members]) for i in slow.open_incidents()
    ]


def test_both_open_the_same_incident_on_a_spike_over_background() -> None:
    """A case where the decisions matter: two hours of background, then a spike that fires in both."""
    config = DetectorConfig(min_authors=3, threshold=2.0, persistence=2)
    posts = [
        DetectorPost(f"b{i}", f"u{i}", f"my {WORDS[i % 6]} bill is broken {i}", T0 + timedelta(minutes=i))
        for i in range(120)
    ] + [
        DetectorPost(
            f"s{i}",
            f"s{i}",
            f"glasgow outage {('again', 'since noon', 'whole street', 'help')[i % 4]}",
            T0 + timedelta(minutes=120, seconds=20 * i),
        )
        for i in range(8)
    ]
    fast, slow = IncidentDetector(config), ReferenceDetector(config)
    fast_events = [e for p in posts for e in _plain(fast.feed(p))]
    assert fast_events == [e for p in posts for e in _plain(slow.feed(p))]
    assert [e[2] for e in fast_events if e[0] == "open"] == ["w:glasgow"]
