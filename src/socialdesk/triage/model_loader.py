"""Load the packaged model artefact (the only file access in triage), once per process."""

from __future__ import annotations

import io
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from socialdesk.triage.linear_model import Head, LinearModel

WEIGHTS_FILE = "weights.npz"
METADATA_FILE = "metadata.json"


def model_from_bytes(weights_npz: bytes, metadata_json: str) -> LinearModel:
    """Build a model from the two artefact files' contents (also used for artefacts outside the package)."""
    meta: dict[str, Any] = json.loads(metadata_json)
    with np.load(io.BytesIO(weights_npz), allow_pickle=False) as npz:
        weights = npz["weights"].astype(np.float32)
        vocab_blob = npz["vocabulary"].tobytes().decode("utf-8")
    names = vocab_blob.split("\n") if vocab_blob else []
    if len(names) != weights.shape[0]:
        raise ValueError(
            f"artefact is inconsistent: {len(names)} features but {weights.shape[0]} weight rows"
        )
    heads = [
        Head(h["name"], tuple(h["labels"]), int(h["start"]), tuple(float(b) for b in h["bias"]))
        for h in meta["heads"]
    ]
    return LinearModel({n: i for i, n in enumerate(names)}, weights, heads, meta)


@lru_cache(maxsize=1)
def load_default_model() -> LinearModel:
    folder = resources.files("socialdesk.triage").joinpath("model")
    weights = folder.joinpath(WEIGHTS_FILE).read_bytes()
    metadata = folder.joinpath(METADATA_FILE).read_text(encoding="utf-8")
    return model_from_bytes(weights, metadata)
