"""``near-tui backup --db DB OUT``: a consistent copy at any moment, votes still in the WAL included.

A plain copy of a running session's database file misses the votes that are still in its
-wal file (docs/laptop-died.md says so); the first test shows both.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import synthetic  # noqa: E402 — from bench/, put on the path by support

from near_tui.core import events as ev
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from near_tui.storage.session_log import SessionLog
from support import GA12, GA12_ATTENDANCE, HERE, child_env, run_cli


def votes_in(path: str) -> dict[tuple[str, str], str]:
    """The answers in a copy, read with plain sqlite3 from that one file (as another laptop would)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = conn.execute("SELECT payload FROM near_events WHERE kind = 'vote_recorded'").fetchall()
    finally:
        conn.close()
    return {(p["item_id"], p["member_id"]): p["vote"] for p in (json.loads(r[0]) for r in found)}


def read_all(db: str) -> list[ev.Event]:
    log = SessionLog(db, readonly=True)
    try:
        return log.read_events()
    finally:
        log.dispose()


def test_backup_holds_the_votes_still_in_the_wal_and_a_file_copy_does_not(tmp_path):
    db = str(tmp_path / "session.sqlite")
    setup = Session.create(load_agenda(GA12), db)
    import_file(setup, "attendance", GA12_ATTENDANCE)
    setup.close_log()  # the last connection closes: everything so far is in the main file

    clerk = Session.open(db)  # the clerk's connection stays open, as in a session
    clerk.open_vote("2")
    given = {}
    for answer in ("yes", "no", "abstain", "yes", "yes"):
        member = clerk.state.now_calling("2")
        clerk.record_vote("2", member, answer)
        given["2", member] = answer
    assert Path(db + "-wal").stat().st_size > 0  # the votes are in the WAL, not yet in the file

    plain = tmp_path / "plain-copy.sqlite"
    shutil.copy(db, plain)
    assert votes_in(str(plain)) == {}  # a file copy has the attendance, and none of the votes

    out = tmp_path / "backup.sqlite"
    done = run_cli("backup", "--db", db, str(out))
    assert done.returncode == 0, done.stderr
    assert votes_in(str(out)) == given
    count = len(read_all(db))
    assert done.stdout == f"backup: {count} events, chain head {read_all(db)[-1].hash} -> {out}\n"
    # One self-contained file: nothing beside it, and the clerk can continue from it.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup")) == ["backup.sqlite"]
    clerk.close_log()
    audit = run_cli("audit", "--db", str(out))
    assert audit.returncode == 0 and audit.stdout.startswith(f"audit: {count} events")
    again = Session.open(str(out))
    again.record_vote("2", again.state.now_calling("2"), "no")
    again.close_log()


def test_backups_taken_while_the_clerk_writes_hold_every_acknowledged_vote(tmp_path):
    db = str(tmp_path / "busy.sqlite")
    session = Session.create(synthetic.definition(100, 80), db)
    session.record(synthetic.attendance_actions(100))
    session.close_log()
    acks = tmp_path / "acks.txt"
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys; from crash_writer import write_votes; write_votes(sys.argv[1], sys.argv[2])",
         db, str(acks)], cwd=HERE, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rng = random.Random(7)
    try:
        while "ACK" not in (acks.read_text() if acks.exists() else ""):
            assert writer.poll() is None, writer.communicate()
            time.sleep(0.01)
        for n in range(4):
            time.sleep(rng.uniform(0.05, 0.3))
            before = acks.read_text()  # every vote acknowledged before the backup starts
            out = tmp_path / f"backup-{n}.sqlite"
            done = run_cli("backup", "--db", db, str(out))
            assert done.returncode == 0, done.stderr
            acked = {}
            for line in before.splitlines():
                if line.startswith("ACK "):
                    _, item_id, member_id, vote = line.split()
                    acked[item_id, member_id] = vote
            copied = votes_in(str(out))
            assert {key: copied.get(key) for key in acked} == acked
            assert ev.chain_problems(read_all(str(out))) == []
            assert writer.poll() is None, "the writer stopped while backups were taken"
    finally:
        writer.kill()
        writer.wait(timeout=30)


def test_backup_refuses_to_overwrite_and_names_missing_folders(ga12_present, db_path, tmp_path):
    out = tmp_path / "taken.sqlite"
    out.write_bytes(b"an earlier backup")
    done = run_cli("backup", "--db", db_path, str(out))
    assert done.returncode == 2
    assert done.stderr == f"near-tui: {out}: already exists — give a new file name for the backup\n"
    assert out.read_bytes() == b"an earlier backup"
    done = run_cli("backup", "--db", db_path, str(tmp_path / "nowhere" / "b.sqlite"))
    assert done.returncode == 2 and "does not exist" in done.stderr and done.stderr.count("\n") == 1
    done = run_cli("backup", "--db", str(tmp_path / "missing.sqlite"), str(tmp_path / "b.sqlite"))
    assert done.returncode == 2 and "no such session database" in done.stderr
    assert not (tmp_path / "b.sqlite").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_backup_of_any_database_is_an_sqlite_session(db_url, tmp_path):
    session = Session.create(load_agenda(GA12), db_url)
    import_file(session, "attendance", GA12_ATTENDANCE)
    session.open_vote("4")
    session.record_vote("4", "cn-henan", "yes")
    session.record_vote("4", "cn-hunan", "no")
    session.close_log()
    out = tmp_path / "copy.sqlite"
    done = run_cli("backup", "--db", db_url, str(out))
    assert done.returncode == 0, done.stderr
    assert read_all(str(out)) == read_all(db_url)
    assert votes_in(str(out)) == {("4", "cn-henan"): "yes", ("4", "cn-hunan"): "no"}
    assert os.path.getsize(out) > 0 and not Path(f"{out}-wal").exists()
