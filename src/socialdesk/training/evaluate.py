"""`socialdesk evaluate`: scores of the default model, the optional `[ml]` model and VADER beside
published figures.

Held-out splits are scored with the loaded artefact, and refused (`LeakageError`) if the artefact
says it was trained on them. Cross-validated rows retrain the same recipe per fold, so the
loaded artefact plays no part in them. The `[ml]` columns come from `evaluate_ml`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from socialdesk.training import datasets as ds
from socialdesk.training.metrics import accuracy, group_folds, macro_f1, macro_recall, stratified_folds
from socialdesk.training.train import Corpus, HeadData, Sources, TrainConfig, assemble, fit, load_sources
from socialdesk.triage.linear_model import LinearModel
from socialdesk.triage.model_loader import METADATA_FILE, WEIGHTS_FILE, load_default_model, model_from_bytes
from socialdesk.triage.triager import Triager

if TYPE_CHECKING:
    from socialdesk.training.evaluate_care import CareEval


class LeakageError(RuntimeError):
    """The model was trained on the split we were asked to report."""


@dataclass
class Row:
    dataset: str
    setting: str
    metric: str
    default: float | None
    vader: float | None
    published: str
    ml: float | None = None  # the optional [ml] model (static embedding distilled from MiniLM)
    minilm: float | None = None  # reference: heads over full MiniLM sentence embeddings
    care: float | None = None  # the second stage (care posts): MiniLM sentence embedding + heads
    notes: list[str] = field(default_factory=list)


def load_model(model_dir: Path | None) -> LinearModel:
    if model_dir is None:
        return load_default_model()
    return model_from_bytes(
        (model_dir / WEIGHTS_FILE).read_bytes(), (model_dir / METADATA_FILE).read_text(encoding="utf-8")
    )


def check_not_trained_on(model: LinearModel, split: str) -> None:
    if split in model.trained_on:
        raise LeakageError(
            f"refusing to report '{split}': the loaded model was trained on it "
            f"(artefact metadata trained_on={sorted(model.trained_on)}); retrain without it"
        )


def check_disjoint(train: Iterable[str], test: Iterable[str], where: str) -> None:
    """Refuse a protocol whose training rows share a text with its test rows (normalised as for the
    SemEval/TweetEval match: case, URLs, mentions and punctuation aside)."""
    seen = {ds.match_key(t) for t in train}
    shared = sorted({t for t in test if ds.match_key(t) in seen})
    if shared:
        raise LeakageError(f"{where}: {len(shared)} test texts are also training texts, e.g. {shared[0]!r}")


def without(head: HeadData, test: Iterable[str]) -> HeadData:
    """`head` less every row whose text (normalised as `check_disjoint` does) is a test text: a
    short post ("@user prove it") can occur both in the fold and in another training source."""
    keys = {ds.match_key(t) for t in test}
    out = HeadData()
    for text, label, reply, weight in zip(head.texts, head.labels, head.is_reply, head.weights, strict=True):
        if ds.match_key(text) not in keys:
            out.add(text, label, is_reply=reply, weight=weight)
    return out


def folds_for(data: Sequence[ds.Example], strata: Sequence[str], k: int, seed: int) -> list[int]:
    """Stratified folds in which identical texts (by `match_key`) share a fold."""
    return group_folds(stratified_folds(strata, k, seed), [ds.match_key(e.text) for e in data])


def _vader() -> Callable[[str], float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda text: float(analyzer.polarity_scores(text)["compound"])


def vader_label(compound: float) -> str:
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"


def tweeteval_rows(
    model: LinearModel, vader: Callable[[str], float], care: CareEval | None = None
) -> list[Row]:
    check_not_trained_on(model, ds.SPLIT_TWEETEVAL_VAL)
    data = ds.read_tweeteval_validation().examples
    gold = [e.label for e in data]
    triager = Triager(model)
    results = [triager.triage(e.text) for e in data]
    ours = [r.sentiment for r in results]
    base = [vader_label(vader(e.text)) for e in data]
    name, setting = "TweetEval sentiment", "validation (2,000)"
    published = "test: TimeLMs 73.7 / RoBERTa-base 71.3 / FastText 62.9 / SVM 62.9"
    rows = [
        Row(name, setting, "macro-recall", macro_recall(gold, ours), macro_recall(gold, base), published),
        Row(name, setting, "accuracy", accuracy(gold, ours), accuracy(gold, base), ""),
        Row(name, setting, "macro-F1", macro_f1(gold, ours), macro_f1(gold, base), ""),
    ]
    if care is not None:
        refined = care.packaged_refine([e.text for e in data], [r.to_dict() for r in results])
        second = [str(t["sentiment"]) for t in refined]
        for row, metric in zip(rows, (macro_recall, accuracy, macro_f1), strict=True):
            row.care = metric(gold, second)
    return rows


def _sentiment_only(texts: Sequence[str], labels: Sequence[str], config: TrainConfig) -> LinearModel:
    head = HeadData()
    for t, lab in zip(texts, labels, strict=True):
        head.add(t, lab)
    corpus = Corpus({"sentiment": head, "category": HeadData(), "needs_reply": HeadData()}, [])
    return fit(corpus, config, heads=["sentiment"])


def airline_rows(
    src: Sources, config: TrainConfig, k: int, vader: Callable[[str], float], care: CareEval | None = None
) -> list[Row]:
    data = src.airline
    gold = [e.label for e in data]
    folds = folds_for(data, gold, k, config.seed)
    pred = [""] * len(data)
    second = [""] * len(data)
    for f in range(k):
        train = [e for e, g in zip(data, folds, strict=True) if g != f]
        idx = [i for i in range(len(data)) if folds[i] == f]
        check_disjoint((e.text for e in train), (data[i].text for i in idx), f"airline fold {f}")
        model = _sentiment_only([e.text for e in train], [e.label for e in train], config)
        triager = Triager(model)
        results = [triager.triage(data[i].text) for i in idx]
        for i, r in zip(idx, results, strict=True):
            pred[i] = r.sentiment
        if care is not None:
            refined = care.airline_fold(train, [data[i].text for i in idx], [r.to_dict() for r in results])
            for i, t in zip(idx, refined, strict=True):
                second[i] = str(t["sentiment"])
    base = [vader_label(vader(e.text)) for e in data]
    name, setting = "Airline sentiment", f"{k}-fold CV, airline only"
    rows = [
        Row(
            name,
            setting,
            "accuracy",
            accuracy(gold, pred),
            accuracy(gold, base),
            "hold-out: LR+SGD 0.789 / 0.791",
        ),
        Row(name, setting, "macro-F1", macro_f1(gold, pred), macro_f1(gold, base), ""),
    ]
    if care is not None:
        rows[0].care, rows[1].care = accuracy(gold, second), macro_f1(gold, second)
    return rows


def _is_complaint(category: str) -> str:
    return "complaint" if category in {"complaint", "outage_report"} else "not_complaint"


def complaints_rows(
    src: Sources, config: TrainConfig, k: int, vader: Callable[[str], float], care: CareEval | None = None
) -> list[Row]:
    data = src.complaints
    gold = [e.label for e in data]
    folds = folds_for(data, [f"{e.label}/{e.group}" for e in data], k, config.seed)
    pred = [""] * len(data)
    second = [""] * len(data)
    for f in range(k):
        train = [e for e, g in zip(data, folds, strict=True) if g != f]
        idx = [i for i in range(len(data)) if folds[i] == f]
        corpus = assemble(src, config, complaints=train)
        tested = [data[i].text for i in idx]
        corpus.heads["category"] = without(corpus.heads["category"], tested)  # the other sources' copies
        check_disjoint(corpus.heads["category"].texts, tested, f"complaints fold {f}")
        triager = Triager(fit(corpus, config, heads=["category"]))
        results = [triager.triage(data[i].text) for i in idx]
        for i, r in zip(idx, results, strict=True):
            pred[i] = _is_complaint(r.category)
        if care is not None:
            check_disjoint((e.text for e in train), (data[i].text for i in idx), f"complaints fold {f}")
            refined = care.complaints_fold(train, [data[i].text for i in idx], [r.to_dict() for r in results])
            for i, t in zip(idx, refined, strict=True):
                second[i] = _is_complaint(str(t["category"]))
    base = ["complaint" if vader(e.text) <= -0.05 else "not_complaint" for e in data]
    name, setting = "Complaints (complaint vs not)", f"{k}-fold CV, category head"
    rows = [
        Row(
            name,
            setting,
            "macro-F1",
            macro_f1(gold, pred),
            macro_f1(gold, base),
            "up to 79 (ACL 2019) / 87 (2020)",
        ),
        Row(name, setting, "accuracy", accuracy(gold, pred), accuracy(gold, base), "majority 64.2"),
    ]
    if care is not None:
        rows[0].care, rows[1].care = macro_f1(gold, second), accuracy(gold, second)
    return rows


def twcs_rows(src: Sources, config: TrainConfig, k: int) -> list[Row]:
    data = src.twcs
    gold = [e.label for e in data]
    folds = folds_for(data, gold, k, config.seed)
    pred = [""] * len(data)
    for f in range(k):
        train = [e for e, g in zip(data, folds, strict=True) if g != f]
        check_disjoint(
            (e.text for e in train),
            (e.text for e, g in zip(data, folds, strict=True) if g == f),
            f"TWCS fold {f}",
        )
        model = fit(assemble(src, config, twcs=train), config, heads=["category", "needs_reply"])
        triager = Triager(model)
        for i, e in enumerate(data):
            if folds[i] == f:
                result = triager.triage(e.text, is_reply=e.extra.get("is_reply") == "1")
                pred[i] = "reply" if result.needs_reply else "no_reply"
    majority = max(set(gold), key=gold.count)
    name, setting = "TWCS needs_reply (brand answered)", f"{k}-fold CV, weak label"
    return [
        Row(
            name,
            setting,
            "accuracy",
            accuracy(gold, pred),
            None,
            f"majority {accuracy(gold, [majority] * len(gold)):.3f}",
        ),
        Row(name, setting, "macro-F1", macro_f1(gold, pred), None, "none published"),
    ]


def evaluate(
    *,
    model_dir: Path | None = None,
    quick: bool = False,
    progress: Callable[[str], None] | None = None,
    ml: bool = True,
    ml_model_dir: Path | None = None,
    minilm: bool = False,
    care: bool = True,
    care_model_dir: Path | None = None,
) -> list[Row]:
    """All rows of the evaluation table. `quick` uses 3 folds instead of 10 (5 for TWCS).

    `care` fills the care-stage column (the second stage: the packaged artefact on TweetEval
    validation, heads refitted per fold on the training folds elsewhere); it needs the MiniLM
    encoder (the `[ml]` extra) and is n/a without it.

    `ml` fills the optional[ml] column (held-out rows need only numpy; cross-validated rows
    rebuild the model per fold and need the teacher, so they are n/a without the `[ml]` extra);
    `minilm` adds the full-MiniLM reference column (needs the extra).
    """
    say = progress or (lambda _msg: None)
    model = load_model(model_dir)
    vader = _vader()
    config = TrainConfig()
    src = load_sources(config)
    care_eval = _care_eval(src, care_model_dir, say) if care else None
    say("TweetEval validation (loaded model)")
    rows = tweeteval_rows(model, vader, care_eval)
    k = 3 if quick else 10
    say(f"airline {k}-fold CV")
    rows += airline_rows(src, config, k, vader, care_eval)
    say(f"complaints {k}-fold CV")
    rows += complaints_rows(src, replace(config), k, vader, care_eval)
    say(f"TWCS needs_reply {3 if quick else 5}-fold CV")
    rows += twcs_rows(src, config, 3 if quick else 5)
    if ml or minilm:
        _fill_ml(
            rows, src, config, k=k, k_twcs=3 if quick else 5, ml_dir=ml_model_dir, minilm=minilm, say=say
        )
    return rows


def _care_eval(src: Sources, model_dir: Path | None, say: Callable[[str], None]) -> CareEval | None:
    from socialdesk.training.care_loader import encoder_available
    from socialdesk.triage.care_model import care_model_packaged

    if not encoder_available():
        say("[ml] extra not installed: the care-stage column needs the MiniLM encoder; n/a")
        return None
    if not care_model_packaged(model_dir):
        say("no care model artefact: the care-stage column is n/a")
        return None
    from socialdesk.training.evaluate_care import CareEval

    say("care stage: MiniLM sentence embeddings (cached)")
    return CareEval(src, model_dir)


def _fill_ml(
    rows: list[Row],
    src: Sources,
    config: TrainConfig,
    *,
    k: int,
    k_twcs: int,
    ml_dir: Path | None,
    minilm: bool,
    say: Callable[[str], None],
) -> None:
    from socialdesk.training.embed_minilm import ml_available
    from socialdesk.training.evaluate_ml import ml_columns
    from socialdesk.training.train_ml import minilm_teacher
    from socialdesk.triage.embed_model import load_ml_model, ml_model_from_bytes

    if ml_dir is None:
        model = load_ml_model()
    else:
        from socialdesk.triage.embed_model import ML_METADATA_FILE, ML_WEIGHTS_FILE

        model = ml_model_from_bytes(
            (ml_dir / ML_WEIGHTS_FILE).read_bytes(), (ml_dir / ML_METADATA_FILE).read_text(encoding="utf-8")
        )
    available = ml_available()
    if not available:
        say("[ml] extra not installed: cross-validated optional[ml] rows need the teacher; n/a")
    columns = ml_columns(
        src,
        config,
        model=model,
        k=k,
        k_twcs=k_twcs,
        teacher=minilm_teacher() if available else None,
        minilm=minilm and available,
        say=say,
    )
    for row in rows:
        found = columns.get(row.dataset, {})
        row.ml = found.get("ml", {}).get(row.metric)
        row.minilm = found.get("minilm", {}).get(row.metric)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def format_table(rows: Sequence[Row]) -> str:
    with_minilm = any(r.minilm is not None for r in rows)
    header: tuple[str, ...] = (
        "dataset",
        "setting",
        "metric",
        "default",
        "care stage",
        "optional[ml]",
        "VADER",
    )
    if with_minilm:
        header += ("MiniLM (full)",)
    header += ("published",)
    body = []
    for r in rows:
        line: tuple[str, ...] = (
            r.dataset,
            r.setting,
            r.metric,
            _fmt(r.default),
            _fmt(r.care),
            _fmt(r.ml),
            _fmt(r.vader),
        )
        if with_minilm:
            line += (_fmt(r.minilm),)
        body.append((*line, r.published))
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=True)]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in (header, *body)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
