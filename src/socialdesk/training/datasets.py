"""Readers for the shared research data sets (read in place, never copied into the repo).

Every reader returns plain `Example` rows and the files it read, so that training can record a
sha256 of each input. Split names (e.g. ``"tweeteval_sentiment/validation"``) are the unit the
"never report a split you trained on" guard works with.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from socialdesk.config import environment_dataset_dir

DATA_DIR_ENV = "SOCIALDESK_DATA_DIR"

# Split names used in artefact metadata and by `evaluate`.
SPLIT_AIRLINE = "airline/train"
SPLIT_COMPLAINTS = "complaints/dev"
SPLIT_TWEETEVAL_VAL = "tweeteval_sentiment/validation"
SPLIT_SEMEVAL_POOL = "semeval2017/pool_minus_tweeteval_validation"
SPLIT_TWCS = "twcs/first5000"
SPLIT_TWCS_LABELED = "twcs_labeled/inbound"
SPLIT_BANKING77_TRAIN = "banking77/train"
SPLIT_BANKING77_TEST = "banking77/test"

SENTIMENTS = ("negative", "neutral", "positive")


class DataMissingError(FileNotFoundError):
    """The shared data directory or one of its files is not there."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    group: str = ""  # domain / airline / brand, for stratification and error analysis
    extra: dict[str, str] = field(default_factory=dict)


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """`$SOCIALDESK_DATA_DIR`, else ``../shared/data`` next to the repository root."""
    return environment_dataset_dir() or (repo_root().parent / "shared" / "data")


def data_available() -> bool:
    return (data_dir() / "airline" / "Tweets-train.csv").is_file()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file(relative: str) -> Path:
    path = data_dir() / relative
    if not path.is_file():
        raise DataMissingError(
            f"data file not found: {path} (set {DATA_DIR_ENV} to the folder holding the shared data)"
        )
    return path


@dataclass
class Loaded:
    """Examples plus the files they came from (relative path -> sha256)."""

    examples: list[Example]
    files: dict[str, str]


def _record(files: dict[str, str], relative: str) -> Path:
    path = _file(relative)
    files[relative] = sha256_of(path)
    return path


def read_airline() -> Loaded:
    files: dict[str, str] = {}
    path = _record(files, "airline/Tweets-train.csv")
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append(
                Example(
                    row["text"],
                    row["airline_sentiment"],
                    row["airline"],
                    {"negativereason": row["negativereason"], "id": row["tweet_id"]},
                )
            )
    return Loaded(out, files)


def read_complaints() -> Loaded:
    files: dict[str, str] = {}
    path = _record(files, "complaints/complaints-dev.csv")
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            tweet_id, text, label, domain = row
            out.append(
                Example(text, "complaint" if label == "1" else "not_complaint", domain, {"id": tweet_id})
            )
    return Loaded(out, files)


def read_tweeteval_validation() -> Loaded:
    files: dict[str, str] = {}
    texts = _record(files, "tweeteval_sentiment/val_text.txt").read_text(encoding="utf-8").split("\n")
    labels = _record(files, "tweeteval_sentiment/val_labels.txt").read_text(encoding="utf-8").split()
    texts = texts[: len(labels)]
    return Loaded(
        [Example(t.rstrip(" "), SENTIMENTS[int(lab)]) for t, lab in zip(texts, labels, strict=True)], files
    )


_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL_RE = re.compile(r"https?://\S+")
_MENTION_RE = re.compile(r"@\w+")
_NONWORD_RE = re.compile(r"[\W_]+")


def _unescape(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def match_key(text: str) -> str:
    """Normalised text used to match SemEval pool tweets to TweetEval tweets."""
    text = _URL_RE.sub(" ", _unescape(text))
    text = _MENTION_RE.sub(" @user ", text).lower()
    return _NONWORD_RE.sub(" ", text).strip()


def read_semeval_pool(exclude_texts: list[str]) -> Loaded:
    """SemEval-2017 4A 2013-2016 pool, de-duplicated by text, minus any tweet in `exclude_texts`."""
    files: dict[str, str] = {}
    excluded = {match_key(t) for t in exclude_texts}
    seen: set[str] = set()
    out = []
    folder = "semeval2017/train_dev_2013_2016"
    for path in sorted((data_dir() / folder).glob("twitter-*-A.tsv")):
        _record(files, f"{folder}/{path.name}")
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3 or parts[1] not in SENTIMENTS:
                    continue
                text = _unescape(parts[2])
                key = match_key(text)
                if not key or key in excluded or key in seen:
                    continue
                seen.add(key)
                out.append(Example(text, parts[1], path.name, {"id": parts[0]}))
    if not files:
        raise DataMissingError(f"no SemEval files under {data_dir() / folder}")
    return Loaded(out, files)


@dataclass(frozen=True, slots=True)
class TwcsTweet:
    tweet_id: str
    author_id: str
    inbound: bool
    text: str
    response_ids: tuple[str, ...]
    in_response_to: str


def read_twcs_rows(files: dict[str, str]) -> list[TwcsTweet]:
    path = _record(files, "twcs/twcs_first5000.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        return [
            TwcsTweet(
                r["tweet_id"],
                r["author_id"],
                r["inbound"] == "True",
                r["text"],
                tuple(i for i in r["response_tweet_id"].split(",") if i),
                r["in_response_to_tweet_id"],
            )
            for r in csv.DictReader(fh)
        ]


def read_twcs_needs_reply() -> Loaded:
    """Inbound TWCS tweets labelled by whether a brand answered them inside the file.

    Label "reply" if a brand reply is in the file, "no_reply" if nothing answered; tweets whose
    answers fall outside the 5,000-row head are skipped (unknown). ``extra["is_reply"]`` tells
    whether the customer tweet itself answered another tweet.
    """
    files: dict[str, str] = {}
    rows = read_twcs_rows(files)
    by_id = {r.tweet_id: r for r in rows}
    out = []
    for r in rows:
        if not r.inbound:
            continue
        answered = any((a := by_id.get(i)) is not None and not a.inbound for i in r.response_ids)
        unknown = any(i not in by_id for i in r.response_ids)
        if answered:
            label = "reply"
        elif not r.response_ids:
            label = "no_reply"
        elif unknown:
            continue
        else:
            label = "no_reply"
        out.append(
            Example(r.text, label, "", {"is_reply": "1" if r.in_response_to else "0", "id": r.tweet_id})
        )
    return Loaded(out, files)


def read_twcs_labeled() -> Loaded:
    """600 human-labelled inbound tweets; label = '|'-joined topic names (may be empty)."""
    files: dict[str, str] = {}
    out = []
    for brand in ("AmazonHelp", "AppleSupport", "SpotifyCares"):
        path = _record(files, f"twcs_labeled/csv/labeled_twcs-{brand}-200-inbound.csv")
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            names = (reader.fieldnames or [])[10:]
            for row in reader:
                topics = [n for n in names if (row.get(n) or "").strip() in {"1", "1.0"}]
                out.append(Example(row["text"], "|".join(topics), brand, {"id": row["tweet_id"]}))
    return Loaded(out, files)


def read_banking77(split: str) -> Loaded:
    files: dict[str, str] = {}
    path = _record(files, f"banking77/{split}.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        return Loaded([Example(r["text"], r["category"]) for r in csv.DictReader(fh)], files)


def iter_texts(loaded: Loaded) -> Iterator[str]:
    return (e.text for e in loaded.examples)
