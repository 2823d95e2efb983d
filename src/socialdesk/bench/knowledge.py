"""`socialdesk bench kb`: suggestions/s with N articles in the index, and the TF-IDF baseline's.

Articles and queries are made of ordinary English words drawn with a Zipf law from the vocabulary
of the shipped word embedding (deterministic seed), so the figure needs no data set: each article
has a 6-word title, a 60-word body, 3 tags and 3 example questions of 10 words; each query has 14
words. Queries are scored as `kb suggest` scores them (batches of 256). Throughput is measured on
process CPU time, with BLAS held to one thread, so it is per core; wall time is reported beside it.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from typing import Any

from socialdesk.config import one_blas_thread

TARGET_PER_S = 500


def _one_thread() -> None:
    one_blas_thread()


def _corpus(articles: int, queries: int, seed: int = 7) -> tuple[list[Any], list[str]]:
    import numpy as np

    from socialdesk.knowledge.embedding import triage_embedding
    from socialdesk.knowledge.index import Document

    words = sorted(w for w in triage_embedding().rows if w.isascii() and w.isalpha() and len(w) > 2)
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, len(words) + 1)
    p /= p.sum()

    def text(n: int) -> str:
        return " ".join(words[i] for i in rng.choice(len(words), size=n, p=p))

    docs = [
        Document(
            key=f"a{i}",
            title=text(6),
            body=text(60),
            tags=tuple(text(1) for _ in range(3)),
            questions=tuple(text(10) for _ in range(3)),
            language="en",
        )
        for i in range(articles)
    ]
    return docs, [text(14) for _ in range(queries)]


def _timed(run: Callable[[], object], n: int) -> tuple[float, float]:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    run()
    return n / max(time.process_time() - cpu0, 1e-9), n / max(time.perf_counter() - wall0, 1e-9)


def run_bench(articles: int, queries: int, repeats: int) -> dict[str, Any]:
    _one_thread()
    from socialdesk.knowledge.baseline import TfidfBaseline
    from socialdesk.knowledge.embedding import triage_embedding
    from socialdesk.knowledge.index import Index, Weights

    docs, texts = _corpus(articles, queries)
    t0 = time.perf_counter()
    index = Index(docs, triage_embedding(), Weights())
    build_s = time.perf_counter() - t0
    baseline = TfidfBaseline(docs)

    def ours() -> None:
        for start in range(0, len(texts), 256):
            index.search(texts[start : start + 256], 3)

    def base() -> None:
        baseline.search(texts, 3)

    best = {"ours": (0.0, 0.0), "baseline": (0.0, 0.0)}
    for _ in range(repeats):
        for name, run in (("ours", ours), ("baseline", base)):
            cpu, wall = _timed(run, len(texts))
            if cpu > best[name][0]:
                best[name] = (cpu, wall)
    return {
        "articles": articles,
        "passages": index.passages,
        "queries": queries,
        "index_build_s": round(build_s, 2),
        "classifier_fitted": index.classifier is not None,
        "suggestions_per_s_cpu": round(best["ours"][0], 1),
        "suggestions_per_s_wall": round(best["ours"][1], 1),
        "baseline_tfidf_per_s_cpu": round(best["baseline"][0], 1),
        "baseline_tfidf_per_s_wall": round(best["baseline"][1], 1),
        "ratio_to_baseline": round(best["ours"][0] / max(best["baseline"][0], 1e-9), 3),
        "target_per_s": TARGET_PER_S,
        "meets_target": best["ours"][0] >= TARGET_PER_S,
        "blas_threads": one_blas_thread(),
        "python": platform.python_version(),
    }
