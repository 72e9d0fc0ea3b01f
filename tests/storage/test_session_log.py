"""The session log: durable, append-only, hash-chained, state always re-derived from it."""

from __future__ import annotations

import sqlite3

import pytest

from near_tui.core.errors import RuleError, StorageError
from near_tui.core.events import GENESIS, chain_problems
from near_tui.core.state import SessionState
from near_tui.service.session import Session
from near_tui.storage.session_log import SessionLog


def test_sqlite_runs_in_wal_with_full_sync(ga12_session, db_path):
    with ga12_session.log.connections.transaction() as tx:
        assert tx.scalar("PRAGMA journal_mode") == "wal"
        assert tx.scalar("PRAGMA synchronous") == 2  # FULL


def test_every_event_links_to_the_one_before(ga12_present):
    events = ga12_present.log.read_events()
    assert events[0].kind == "session_opened" and events[0].prev_hash == GENESIS
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert chain_problems(events) == []
    assert ga12_present.state.head == events[-1].hash


def test_state_is_rederived_identically_after_reopening(ga12_present, db_path):
    s = ga12_present
    s.open_vote("2")
    s.record_vote("2", "cn-hunan", "yes")
    s.record_vote("2", "ru-sakha", "no")
    s.undo_last("2")
    again = Session.open(db_path)
    assert again.state.tally("2") == s.state.tally("2")
    assert again.state.now_calling("2") == s.state.now_calling("2")
    assert again.state.head == s.state.head


def test_tampering_is_detected(ga12_present, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("update near_events set payload = replace(replace(payload, 'absent', 'online'), 'in_person', 'online') where seq = 5")
    problems = chain_problems(SessionLog(db_path).read_events())
    assert any("event 5" in p and "altered" in p for p in problems)
    with sqlite3.connect(db_path) as conn:
        conn.execute("delete from near_events where seq = 7")
    problems = chain_problems(SessionLog(db_path).read_events())
    assert any("missing or inserted" in p for p in problems)


def test_a_refused_action_writes_nothing(ga12_present, db_path):
    before = ga12_present.log.head_seq()
    with pytest.raises(RuleError, match="not open"):
        ga12_present.record_vote("2", "cn-hunan", "yes")
    assert ga12_present.log.head_seq() == before


def test_two_writers_on_one_file_see_each_other(ga12_present, db_path):
    other = Session.open(db_path)
    ga12_present.open_vote("2")
    # The second seat has not refreshed, yet its write is checked against the latest log.
    other.record_vote("2", "cn-hunan", "yes")
    ga12_present.close_vote("2")
    assert ga12_present.state.tally("2").yes == 22  # 21 letters + the other seat's vote
    with pytest.raises(RuleError, match="closed"):
        other.record_vote("2", "ru-sakha", "yes")
    assert chain_problems(other.log.read_events()) == []


def test_reader_does_not_write(ga12_present, db_path):
    reader = Session.open(db_path, readonly=True)
    with pytest.raises(StorageError, match="read-only"):
        reader.set_attendance("cn-hunan", "absent")
    ga12_present.set_attendance("cn-hunan", "online")
    assert [e.kind for e in reader.refresh()] == ["attendance_set"]
    assert reader.state.mode("cn-hunan") == "online"


def test_database_from_a_newer_version_is_refused(ga12_session, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("update near_meta set value = '99' where key = 'schema_version'")
    with pytest.raises(StorageError, match="newer near_tui"):
        Session.open(db_path)


def test_a_file_that_is_not_a_session_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("create table t (x)")
    with pytest.raises(StorageError, match="not a near_tui session database"):
        Session.open(str(other))


def test_fold_from_scratch_equals_incremental_state(ga12_present):
    s = ga12_present
    s.open_vote("2")
    for mid in ("cn-hunan", "ru-sakha", "cn-jilin"):
        if s.state.is_present(mid):
            s.record_vote("2", mid, "yes")
    s.close_vote("2")
    fresh = SessionState.from_events(s.log.read_events())
    assert fresh.tally("2") == s.state.tally("2")
    assert fresh.members == s.state.members


def test_a_summary_read_reports_exactly_what_the_full_fold_does(ga12_present, db_path):
    from near_tui.service.imports import import_file
    from near_tui.views.report import build_report
    from support import GA12_VOTES


    s = ga12_present
    import_file(s, "votes", GA12_VOTES)
    s.note_item("3")
    full = Session.open(db_path, readonly=True)
    quick = Session.open(db_path, readonly=True, summary=True)
    assert quick.state.summarised and not full.state.summarised
    assert len(quick.log.read_summary()) < len(full.log.read_events()) - 150  # the votes were skipped
    assert build_report(quick.state) == build_report(full.state)
    # A summary state follows later events like any other.
    s.open_vote("8") if s.state.items["8"].status == "pending" else None
    s.set_attendance("cn-hunan", "online")
    quick.refresh(), full.refresh()
    assert build_report(quick.state) == build_report(full.state)


def test_a_close_whose_tally_disagrees_with_the_votes_is_refused(ga12_present):
    import dataclasses

    s = ga12_present
    s.open_vote("2")
    s.record_vote("2", "cn-hunan", "yes")
    wrong = dataclasses.asdict(s.state.closing_tally("2"))
    wrong["yes"] += 1
    with pytest.raises(RuleError, match="does not match"):
        s.record([("vote_closed", {"item_id": "2", "tally": wrong})])
    assert s.state.items["2"].status == "open"
