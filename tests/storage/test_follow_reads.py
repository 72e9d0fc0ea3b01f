"""A follower's polls of an SQLite file (``SessionLog(readonly=True, follow=True)``).

A poll with nothing committed since the last read answers from SQLite's
``data_version`` alone; everything else (a commit, an edit, a deleted event, the
file replaced) is a full read with the head check. These tests write through other
connections and look at what the follower answers and at the statements it ran.
"""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from near_tui.core.errors import LogRewritten, StorageError
from near_tui.storage.session_log import SessionLog


def follower_at_end(db: str) -> tuple[SessionLog, int, str]:
    log = SessionLog(db, readonly=True, follow=True)
    events = log.read_events()
    return log, events[-1].seq, events[-1].hash


def statements(log: SessionLog, poll) -> list[str]:
    """The SQL the follower's kept connection ran during ``poll()``."""
    seen: list[str] = []
    raw = log._follow.connection
    raw.set_trace_callback(seen.append)
    try:
        poll()
    finally:
        raw.set_trace_callback(None)
    return seen


def test_a_quiet_poll_asks_only_whether_anything_was_committed(ga12_present, db_path):
    log, seq, head = follower_at_end(db_path)
    try:
        assert log.read_events(seq, head=head) == []  # the first poll at the end: a full read
        ran = statements(log, lambda: log.read_events(seq, head=head))
        assert ran == ["PRAGMA data_version"]
    finally:
        log.dispose()


def test_a_commit_by_another_writer_is_read_with_the_head_checked(ga12_present, db_path):
    log, seq, head = follower_at_end(db_path)
    try:
        log.read_events(seq, head=head)
        ga12_present.open_vote("2")
        ga12_present.record_vote("2", "cn-hunan", "yes")
        ran = []
        new = []
        ran = statements(log, lambda: new.extend(log.read_events(seq, head=head)))
        assert [e.kind for e in new] == ["vote_opened", "vote_recorded"]
        assert [e.seq for e in new] == [seq + 1, seq + 2] and new[0].prev_hash == head
        assert f"SELECT hash FROM near_events WHERE seq = {seq}" in ran  # the held head was compared
        assert log.read_events(new[-1].seq, head=new[-1].hash) == []
    finally:
        log.dispose()


def test_asking_from_elsewhere_than_the_last_read_ended_reads_again(ga12_present, db_path):
    log, seq, head = follower_at_end(db_path)
    try:
        whole = log.read_events()
        assert log.read_events(seq, head=head) == []
        assert log.read_events(seq - 2, head=whole[seq - 3].hash) == whole[seq - 2:]
    finally:
        log.dispose()


@pytest.mark.parametrize("change, said", [
    ("update near_events set hash = '" + "0" * 64 + "' where seq = ?", "has changed"),
    ("delete from near_events where seq = ?", "is gone"),
])
def test_the_last_event_changed_through_another_connection_is_noticed_on_the_next_poll(
        ga12_present, db_path, change, said):
    log, seq, head = follower_at_end(db_path)
    try:
        log.read_events(seq, head=head)
        with sqlite3.connect(db_path) as conn:
            conn.execute(change, (seq,))
        with pytest.raises(LogRewritten, match=f"event {seq}, already read here, {said}"):
            log.read_events(seq, head=head)
    finally:
        log.dispose()


@pytest.mark.parametrize("how", ["written over", "moved onto the path"])
def test_another_copy_put_in_place_under_the_follower_is_never_taken_for_nothing_new(
        ga12_present, db_path, tmp_path, how):
    # A copy of the session with its last event altered is put where the session was, with no
    # writer running. SQLite's counter cannot see it (no commit went through SQLite), and the
    # kept connection may still hold the old file or its pages: only the file's identity and
    # modification time tell. The follower must read again and refuse the new last event.
    ga12_present.close_log()
    log, seq, head = follower_at_end(db_path)
    other = str(tmp_path / "other.sqlite")
    try:
        assert log.read_events(seq, head=head) == []
        source, copy = sqlite3.connect(db_path), sqlite3.connect(other)
        source.backup(copy)
        copy.execute("update near_events set hash = ? where seq = ?", ("f" * 64, seq))
        copy.commit()
        source.close()
        copy.close()  # its last connection: the copy's WAL is folded back into the file
        if how == "written over":
            with open(other, "rb") as new, open(db_path, "r+b") as old:
                old.write(new.read())  # the same file (inode), other bytes
        else:
            os.replace(other, db_path)
        with pytest.raises((LogRewritten, StorageError)) as refused:
            log.read_events(seq, head=head)
        if how == "written over":
            assert refused.type is LogRewritten and "has changed" in str(refused.value)
    finally:
        log.dispose()


def test_a_file_gone_is_one_storage_error_and_the_next_poll_tries_again(ga12_present, db_path, tmp_path):
    log, seq, head = follower_at_end(db_path)
    aside = tmp_path / "aside.sqlite"
    try:
        log.read_events(seq, head=head)
        os.rename(db_path, aside)
        with pytest.raises(StorageError, match="cannot read the session log"):
            log.read_events(seq, head=head)
        os.rename(aside, db_path)
        assert log.read_events(seq, head=head) == []
    finally:
        log.dispose()


def test_disposing_of_the_log_while_another_thread_polls_does_not_crash(ga12_present, db_path):
    # The chair disposes of its log at exit while its poll thread may be inside a read; closing
    # an SQLite connection in use by another thread crashed the process (found by the chair's tests).
    for _ in range(20):
        log, seq, head = follower_at_end(db_path)
        outcomes: list[str] = []

        def poll_until_closed() -> None:
            try:
                while True:
                    log.read_events(0)  # a full read each time: the longest a poll holds the connection
            except StorageError as exc:
                outcomes.append(str(exc))

        reader = threading.Thread(target=poll_until_closed)
        reader.start()
        log.dispose()
        reader.join(10)
        assert not reader.is_alive()
        assert outcomes and "closed" in outcomes[0], outcomes
