"""End to end figure of `socialdesk match`: a fresh process, monitors JSON and posts JSONL in, JSONL out.

It counts everything a scripted call pays: the interpreter and the imports, reading and compiling the
monitors, decoding each post, matching, encoding and writing each result line.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from socialdesk.listening import MatchablePost


def write_monitors(path: Path, monitors: Sequence[tuple[str, str]]) -> None:
    path.write_text(json.dumps([{"name": name, "query": query} for name, query in monitors]), "utf-8")


def write_posts(path: Path, posts: Sequence[MatchablePost]) -> None:
    """One bare record per line, the way a script would feed them (``id`` is the post's number)."""
    with path.open("w", encoding="utf-8") as out:
        for number, post in enumerate(posts):
            record = {
                "id": number,
                "text": post.text,
                "author_handle": post.author_handle,
                "lang": post.lang,
                "channel": post.channel,
                "followers": post.followers,
                "verified": post.verified,
                "is_repost": post.is_repost,
                "is_reply": post.is_reply,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_cli(
    monitors: Sequence[tuple[str, str]],
    posts: Sequence[MatchablePost],
    expected: Sequence[Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Posts/s of one `socialdesk match` run over the posts (per CPU-second of the process, and wall
    clock); with ``expected`` (the matcher's results in process), whether its output agrees."""
    with tempfile.TemporaryDirectory(prefix="socialdesk-bench-match-") as folder:
        monitors_path, posts_path, out_path = (
            Path(folder, name) for name in ("monitors.json", "posts.jsonl", "out.jsonl")
        )
        write_monitors(monitors_path, monitors)
        write_posts(posts_path, posts)
        command = [sys.executable, "-m", "socialdesk.cli.main", "match", "-m", str(monitors_path)]
        command += ["-i", str(posts_path)]
        with out_path.open("w", encoding="utf-8") as out:
            cpu, started = _children_cpu(), time.perf_counter()
            # This interpreter and our own temporary files: no outside input reaches the command.
            done = subprocess.run(  # noqa: S603
                command, stdout=out, stderr=subprocess.PIPE, text=True, check=False
            )
            wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
        if done.returncode != 0:
            raise RuntimeError(f"socialdesk match failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        agrees = None
        if expected is not None:
            with out_path.open(encoding="utf-8") as found:
                agrees = [json.loads(line)["monitors"] for line in found] == [list(x) for x in expected]
    return {
        "cli_posts_per_s": round(len(posts) / cpu),
        "cli_posts_per_s_wall_clock": round(len(posts) / wall),
        "cli_seconds": round(wall, 2),
        "cli_cpu_seconds": round(cpu, 2),
        "cli_agrees": agrees,
    }
