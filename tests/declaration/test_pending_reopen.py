"""Closing with items pending (refused, or declared not taken up) and reopening from the command line."""

from __future__ import annotations

from near_tui.core import events as ev
from near_tui.service.session import Session


def _events(db: str) -> list[ev.Event]:
    session = Session.open(db, readonly=True)
    try:
        return session.log.read_events()
    finally:
        session.close_log()


def test_close_refuses_pending_items_in_one_line_and_records_nothing(ga12_present, db_path, key_pair, cli,
                                                                    tmp_path):
    ga12_present.close_log()
    before = len(_events(db_path))
    done = cli("close", "--db", db_path, "--key", key_pair[0], "--out", tmp_path / "out")
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "item(s) 1, 2, 3, 4, 5, 6, 7, 8 still pending" in lines[0]
    assert "--leave-pending" in lines[0]
    assert len(_events(db_path)) == before and not (tmp_path / "out").exists()


def test_leave_pending_closes_and_the_declaration_says_not_taken_up(ga12_present, db_path, key_pair, cli,
                                                                   tmp_path):
    ga12_present.note_item("3")
    ga12_present.close_log()
    done = cli("close", "--db", db_path, "--key", key_pair[0], "--out", tmp_path / "out", "--leave-pending")
    assert done.exit_code == 0, done.output
    closing = _events(db_path)[-1]
    assert closing.kind == ev.SESSION_CLOSED
    assert closing.payload == {"left_pending": ["1", "2", "4", "5", "6", "7", "8"]}
    text = (tmp_path / "out" / "declaration.md").read_text(encoding="utf-8")
    assert text.count("not put to the vote") + text.count("not taken up") + text.count("No election") >= 7


def test_reopen_records_the_reason_and_refuses_an_open_session(ga12_replayed, db_path, key_pair, cli, tmp_path):
    ga12_replayed.close_log()
    refused = cli("reopen", "--db", db_path, "--reason", "late letter from Busan")
    assert refused.exit_code == 2 and "not closed" in refused.stderr
    assert cli("close", "--db", db_path, "--key", key_pair[0], "--out", tmp_path / "out").exit_code == 0
    done = cli("reopen", "--db", db_path, "--reason", "late letter from Busan")
    assert done.exit_code == 0, done.output
    last = _events(db_path)[-1]
    assert (last.kind, last.payload) == (ev.SESSION_REOPENED, {"reason": "late letter from Busan"})
    empty = cli("reopen", "--db", db_path, "--reason", "  ")
    assert empty.exit_code == 2
