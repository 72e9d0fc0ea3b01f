"""near-tui verify catches changed files and a doctored database, and says what differs."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from near_tui.core import events as ev
from near_tui.declaration import keys


def copy_db(db: str, to: Path) -> Path:
    """A consistent copy of a live WAL database (sqlite's backup, not a file copy)."""
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return to


@pytest.fixture
def doctored(ga12_closed, tmp_path):
    """A copy of the closed session's database, for plain sqlite3 edits."""
    path = copy_db(ga12_closed.db, tmp_path / "doctored.sqlite")
    conn = sqlite3.connect(path)
    yield path, conn
    conn.close()


def verify(cli, closed, *extra):
    return cli("verify", closed.out, "--pub", closed.pub, *extra)


def test_untouched_files_and_log_verify(ga12_closed, cli):
    alone = verify(cli, ga12_closed)
    assert alone.exit_code == 0, alone.output
    assert "verified:" in alone.output
    full = verify(cli, ga12_closed, "--db", ga12_closed.db)
    assert full.exit_code == 0, full.output
    assert "record.json: identical to the one rebuilt from the log" in full.output
    assert "declaration.md: identical to the one rebuilt from the log" in full.output
    assert f"hash chain holds over {ga12_closed.session.state.last_seq} events" in full.output


@pytest.mark.parametrize("name", ["declaration.md", "record.json", "declaration.pdf",
                                  "declaration.md.minisig", "record.json.minisig"])
def test_one_changed_byte_in_a_signed_file_fails(ga12_closed, cli, name):
    path = ga12_closed.out / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    done = verify(cli, ga12_closed)
    assert done.exit_code == 1
    signed = name.removesuffix(".minisig")
    assert f"FAIL  {signed}: signature does not hold" in done.output


def test_a_changed_csv_row_fails(ga12_closed, cli):
    path = ga12_closed.out / "record.csv"
    before = path.read_text(encoding="utf-8-sig")
    row = "cn-henan,Henan Province,河南省,CN,in_person,"
    assert row + "yes" in before
    path.write_text(before.replace(row + "yes", row + "no"), encoding="utf-8-sig")
    done = verify(cli, ga12_closed)
    assert done.exit_code == 1
    assert "record.csv: does not match the digest in the signed record.json" in done.output
    assert "FAIL  record.csv: signature does not hold, its content changed after it was signed" in done.output


def test_another_key_fails(ga12_closed, cli, tmp_path):
    other, _ = keys.generate(tmp_path / "other.key")
    done = cli("verify", ga12_closed.out, "--pub", other)
    assert done.exit_code == 1
    # Another key's signature says nothing about the files, either way (docs/declaration.md).
    assert "FAIL  signatures: every file is signed by another key" in done.output
    assert "nothing can be concluded about their content" in done.output


def test_an_edited_vote_row_is_named(ga12_closed, doctored, cli):
    path, conn = doctored
    seq, payload = conn.execute(
        "SELECT seq, payload FROM near_events WHERE kind = 'vote_recorded' AND payload LIKE '%cn-henan%' "
        "AND payload LIKE '%\"item_id\":\"2\"%'").fetchone()
    with conn:
        conn.execute("UPDATE near_events SET payload = ? WHERE seq = ?", (payload.replace('"yes"', '"no"'), seq))
    done = verify(cli, ga12_closed, "--db", path)
    assert done.exit_code == 1
    out = done.output
    assert f"log: event {seq} (vote_recorded): content does not match its hash (altered)" in out
    assert "items[2].yes: signed 49, log 48" in out
    assert 'items[2].roll_call.members[cn-henan].answer: signed "yes", log "no"' in out
    # The public declaration carries no vote figures (declaration.tallies is false in the sample)
    # and the outcome stands, so it rebuilds the same: the record is what names the change.
    assert "declaration.md: identical to the one rebuilt from the log" in out


def test_a_deleted_event_is_caught(ga12_closed, doctored, cli):
    path, conn = doctored
    seq = conn.execute("SELECT seq FROM near_events WHERE kind = 'letter_recorded' ORDER BY seq LIMIT 1").fetchone()[0]
    with conn:
        conn.execute("DELETE FROM near_events WHERE seq = ?", (seq,))
    done = verify(cli, ga12_closed, "--db", path)
    assert done.exit_code == 1
    assert f"event {seq + 1}: expected sequence number {seq}" in done.output
    # The letter's loss changes the figures the declaration states.
    assert "figures.taking_part: signed 50, log 49" in done.output


def test_deleting_the_close_is_caught(ga12_closed, doctored, cli):
    path, conn = doctored
    with conn:
        conn.execute("DELETE FROM near_events WHERE kind = 'session_closed'")
    done = verify(cli, ga12_closed, "--db", path)
    assert done.exit_code == 1
    assert "no event carries the signed chain head" in done.output


def test_an_inserted_event_is_caught(ga12_closed, doctored, cli):
    path, conn = doctored
    # Make room after the first vote and slip in an extra "no" from a present member.
    at = conn.execute("SELECT MIN(seq) FROM near_events WHERE kind = 'vote_recorded'").fetchone()[0]
    with conn:
        conn.execute("UPDATE near_events SET seq = -seq - 1 WHERE seq > ?", (at,))
        conn.execute("UPDATE near_events SET seq = -seq WHERE seq < 0")
        prev = conn.execute("SELECT hash FROM near_events WHERE seq = ?", (at,)).fetchone()[0]
        payload = {"item_id": "2", "member_id": "mn-selenge", "vote": "no"}
        stamp = "2018-10-29T09:04:00.000Z"
        conn.execute("INSERT INTO near_events (seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?,?,?,?,?,?)",
                     (at + 1, ev.VOTE_RECORDED, ev.canonical_json(payload), stamp, prev,
                      ev.event_hash(at + 1, ev.VOTE_RECORDED, payload, stamp, prev)))
    done = verify(cli, ga12_closed, "--db", path)
    assert done.exit_code == 1
    assert f"event {at + 2}: does not follow the previous event's hash" in done.output
    assert "differs from the one rebuilt from the log" in done.output


def test_a_forged_event_after_the_close_breaks_the_rules(ga12_closed, doctored, cli):
    path, conn = doctored
    seq, head = conn.execute("SELECT seq, hash FROM near_events ORDER BY seq DESC LIMIT 1").fetchone()
    payload = {"member_id": "cn-anhui", "mode": "in_person"}
    stamp = "2018-10-29T10:00:00.000Z"
    with conn:  # a well-formed link: the chain alone cannot tell
        conn.execute("INSERT INTO near_events VALUES (?,?,?,?,?,?)",
                     (seq + 1, ev.ATTENDANCE_SET, ev.canonical_json(payload), stamp, head,
                      ev.event_hash(seq + 1, ev.ATTENDANCE_SET, payload, stamp, head)))
    done = verify(cli, ga12_closed, "--db", path)
    assert done.exit_code == 1
    assert f"event {seq + 1} (attendance_set) breaks the session's rules: the session is closed" in done.output
    assert (f"FAIL  log: the log continues after the signed close: 1 event, the first event {seq + 1} "
            "(attendance_set), not a reopening") in done.output


def test_a_reopen_after_the_close_fails_verify(ga12_closed, cli):
    # The reopen itself follows the rules, but the signed files no longer describe the whole log.
    ga12_closed.session.reopen_session("a correction to the minutes")
    done = verify(cli, ga12_closed, "--db", ga12_closed.db)
    assert done.exit_code == 1, done.output
    assert "FAIL  log: the log continues after the signed close: 1 event, reopened at" in done.output
    assert "breaks the session's rules" not in done.output


def test_a_missing_signature_fails(ga12_closed, cli, tmp_path):
    moved = tmp_path / "copy"
    shutil.copytree(ga12_closed.out, moved)
    record = json.loads((moved / "record.json").read_bytes())
    assert record["log"]["chain_head"] == ga12_closed.session.state.head
    (moved / "record.json.minisig").unlink()
    done = cli("verify", moved, "--pub", ga12_closed.pub)
    assert done.exit_code == 1
    assert "record.json: its signature record.json.minisig is missing" in done.output


def test_a_missing_public_key_is_one_line(ga12_closed, cli, tmp_path):
    done = cli("verify", ga12_closed.out, "--pub", tmp_path / "nope.pub")
    assert done.exit_code == 2
    assert "no such public key file" in done.output
