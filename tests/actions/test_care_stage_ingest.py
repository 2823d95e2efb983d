"""The second triage stage runs on the posts that reached care, and only on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.listening.monitors import check_create_monitor
from socialdesk.domain.people import Role
from socialdesk.domain.post import Visibility
from socialdesk.ports.uow import UnitOfWork
from socialdesk.triage import Triager
from socialdesk.triage.care_model import CareHead, CareHeads, CareStage, Layer
from tests.conftest import T0
from tests.factories import post

Factory = Callable[[], UnitOfWork]
DIM = 8


def _always(labels: tuple[str, ...], label: str) -> CareHead:
    bias = np.full(len(labels), -5.0, dtype=np.float32)
    bias[labels.index(label)] = 5.0
    layer = Layer(np.zeros((DIM, len(labels)), dtype=np.int8), np.ones(len(labels), dtype=np.float32), bias)
    return CareHead("x", labels, (layer,))


class _Encoder:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += texts
        return np.zeros((len(texts), DIM), dtype=np.float32)


def test_the_second_stage_changes_labels_only_for_posts_that_reached_care(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, ws.id, "x", "AcmeCares")
        admin = check_create_user(uow, ws.id, "a@acme.io", "A", "correct-horse-1", Role.ADMIN)
        check_create_monitor(uow, admin, name="acme", query="acme", mode="care", now=T0)
        check_create_monitor(uow, admin, name="rival", query="globex", mode="listening", now=T0)
        uow.commit()
    heads = CareHeads(
        {
            "sentiment": _always(("negative", "neutral", "positive"), "positive"),
            "complaint": _always(("not_complaint", "complaint"), "not_complaint"),
        },
        DIM,
        {},
    )
    encoder = _Encoder()
    triager = Triager()
    annotator = Annotator(triager, care_stage=CareStage(heads, encoder))
    texts = {
        "mention": "@AcmeCares my order never arrived, this is terrible",
        "monitor": "acme: my order never arrived, this is terrible service",
        "dm": "my order never arrived, this is terrible service",
        "listening": "globex: my order never arrived, this is terrible",
        "nothing": "my order never arrived and nobody answers, terrible service",
        "brand": "@carol we are sorry, terrible that it never arrived",
    }
    posts = [
        post(texts["mention"], id="mention", author="amy"),
        post(texts["monitor"], id="monitor", author="bob"),
        replace(post(texts["dm"], id="dm", author="cat"), visibility=Visibility.PRIVATE),
        post(texts["listening"], id="listening", author="dan"),
        post(texts["nothing"], id="nothing", author="eve"),
        post(texts["brand"], id="brand", author="AcmeCares"),
    ]
    with uow_factory() as uow:
        do_ingest_posts(uow, admin.workspace_id, posts, T0, annotator)
        uow.commit()
    with uow_factory() as uow:
        stored = {m.external_id: m.triage for m in uow.messages.recent(admin.workspace_id, 20)}
    assert sorted(encoder.seen) == sorted([texts["mention"], texts["monitor"], texts["dm"]])
    for name in ("mention", "monitor", "dm"):
        fast = triager.triage(texts[name]).to_dict()
        assert (fast["sentiment"], fast["category"]) == ("negative", "complaint")  # the first stage's reading
        triage = stored[name]
        assert triage is not None
        assert (triage["sentiment"], triage["category"]) == ("positive", "other")
        assert triage["needs_reply"] is True  # a reply asked for is never taken away
        assert triage["explanation"][-1].startswith("care model: category complaint -> other")
    for name in ("listening", "nothing", "brand"):
        assert stored[name] == triager.triage(texts[name]).to_dict()
