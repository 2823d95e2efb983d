"""Reads never wait on writes: while another connection holds SQLite's write lock (as ingest's group
commit does), the inbox list, a conversation and mission control still answer, in the API and the UI."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import text

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.storage.engine import make_engine
from tests.web.ui.conftest import UiWorld, ui_post

# Only bounds how long a broken read hangs (the writer lets go once the reads are done, or then).
GENEROUS = 60.0


def test_inbox_and_conversation_answer_while_a_writer_holds_the_lock(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    runtime = ui_world.runtime
    report = ui_world.ingest(ui_world.ada.workspace_id, ui_post("1", "my router is down", minutes_ago=5))
    (conversation,) = report.conversation_ids
    with runtime.uow() as uow:
        token = do_create_api_token(uow, ui_world.ada, "reads", runtime.clock.now())
        uow.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    paths = {
        "inbox page": ("/", {}),
        "inbox rows": ("/inbox/rows", {}),
        "conversation live fragment": (f"/conversations/{conversation}/live", {}),
        "conversation page": (f"/conversations/{conversation}", {}),
        "mission control": ("/mission", {}),
        "inbox API": ("/api/v1/conversations?limit=50", bearer),
        "conversation API": (f"/api/v1/conversations/{conversation}", bearer),
    }
    answers: dict[str, tuple[int, str]] = {}
    done = threading.Event()

    def read() -> None:
        try:
            for name, (path, headers) in paths.items():
                answer = ui_client.get(path, headers=headers)
                answers[name] = (answer.status_code, answer.text)
        finally:
            done.set()

    writer = make_engine(str(runtime.engine.url))
    try:
        with writer.connect() as conn:
            conn.begin()  # BEGIN IMMEDIATE: SQLite's one write lock, held until the reads are done
            conn.execute(text("UPDATE workspaces SET name = name"))
            reader = threading.Thread(target=read, daemon=True)
            reader.start()
            assert done.wait(GENEROUS), f"reads waited on the writer; answered: {sorted(answers)}"
            assert conn.in_transaction()  # the lock was held throughout
            conn.rollback()
        reader.join()
    finally:
        writer.dispose()
    assert {name: status for name, (status, _) in answers.items()} == dict.fromkeys(paths, 200)
    assert "my router is down" in answers["inbox page"][1]
    assert "my router is down" in answers["inbox API"][1]
    assert "my router is down" in answers["conversation page"][1]
