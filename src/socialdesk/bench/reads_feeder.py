"""The reads benchmark's ingest in a process of its own, as `socialdesk ingest` (or a channel runner)
runs beside `socialdesk serve`: `python -m socialdesk.bench.reads_feeder WORKSPACE_ID`, its database
and triage settings from the environment (SOCIALDESK_*, as every process reads them).

It feeds the embedded ingest queue as fast as the queue takes posts, says `ready` on stdout once the
writer is committing groups, and when its stdin closes stops, waits for what it submitted to be
stored and prints `{"stored": N, "posts_per_s": R}`.
"""

from __future__ import annotations

import json
import sys
import time

from socialdesk.bench.reads import Feeder
from socialdesk.config import Settings
from socialdesk.runtime import build_runtime


def main(argv: list[str]) -> int:
    workspace_id = int(argv[0])
    runtime = build_runtime(Settings(), migrate=False)
    try:
        queue = runtime.ingest_queue()
        queue.warm_up(wait=True)
        groups = queue.groups
        with Feeder(runtime, workspace_id, prefix="apart") as feeder:
            while queue.groups < groups + 2 and feeder.thread.is_alive():
                time.sleep(0.01)  # until the writer is committing groups
            print("ready", flush=True)
            sys.stdin.read()  # until the bench closes our stdin
        print(json.dumps({"stored": feeder.stored, "posts_per_s": feeder.posts_per_s}), flush=True)
    finally:
        runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
