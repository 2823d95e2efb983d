"""The static word embedding the knowledge base's dense score uses: the one shipped for triage.

`triage/model_ml/embedding.npz` holds, for 25,000 words, vectors distilled from all-MiniLM-L6-v2
(PCA to 128 dimensions) and SIF weights; numpy is all it needs. Words are keyed here by their folded
form (no case, no accents), the form `knowledge.text.words` produces; triage's negation-marked
features, hashtags, mentions and cue flags are left out.
"""

from __future__ import annotations

from functools import lru_cache

from socialdesk.knowledge.index import Embedding
from socialdesk.knowledge.text import fold

_SKIP_PREFIXES = ("neg_", "#", "@", "<")


@lru_cache(maxsize=1)
def triage_embedding() -> Embedding:
    """The packaged embedding, loaded once per process."""
    from socialdesk.triage.embed_model import load_ml_model

    model = load_ml_model()
    rows: dict[str, int] = {}
    for i, word in enumerate(model.embedding_vocabulary):
        if not word.startswith(_SKIP_PREFIXES):
            rows.setdefault(fold(word).replace("'", "").replace("’", ""), i)
    return Embedding(rows=rows, vectors=model.vectors, weights=model.token_weights)
