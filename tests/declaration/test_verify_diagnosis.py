"""verify says what is wrong, one line each: a reopen, a wrong key vs a changed file, another database vs
an altered one, and with --db it checks the log even when record.json is gone."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from near_tui.core import events as ev
from near_tui.declaration import keys, signing
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import GA12, FixedClock, member, write_agenda

# Every file the close signs, as docs/declaration.md lists them.
SIGNED_FILES = ("declaration.md", "declaration.pdf", "minutes.md", "minutes.pdf", "record.json", "record.csv")


def verify(cli, closed, *extra, folder=None, pub=None):
    return cli("verify", folder or closed.out, "--pub", pub or closed.pub, *extra)


def fails(done) -> list[str]:
    return [line for line in done.output.splitlines() if line.startswith("FAIL")]


def utc(stamp: str) -> str:
    return stamp[:10] + " " + stamp[11:19] + " UTC"


def test_minisign_verifies_every_signed_file(ga12_closed):
    head = ga12_closed.session.state.head
    for name in SIGNED_FILES:
        done = subprocess.run(["minisign", "-Vm", str(ga12_closed.out / name), "-p", str(ga12_closed.pub)],
                              capture_output=True, text=True)
        assert done.returncode == 0, (name, done.stderr)
        assert f"chain_head:{head}" in done.stdout and f"file:{name}" in done.stdout


def test_verify_after_a_reopen_fails_and_says_when(ga12_closed, cli):
    session = ga12_closed.session
    signed_events = session.state.last_seq
    session.reopen_session("a letter was found late")
    session.set_attendance("cn-anhui", "in_person")
    reopened = session.log.read_events()[signed_events]
    assert reopened.kind == ev.SESSION_REOPENED
    done = verify(cli, ga12_closed, "--db", ga12_closed.db)
    assert done.exit_code == 1
    assert fails(done) == [
        f"FAIL  log: the log continues after the signed close: 2 events, reopened at {utc(reopened.recorded_at)} "
        f"(a letter was found late) — these files describe the session up to event {signed_events} only; "
        "close it again to sign the whole log"
    ]


def test_a_wrong_public_key_is_not_a_changed_file(ga12_closed, cli, tmp_path):
    other, _ = keys.generate(tmp_path / "other.key")
    done = verify(cli, ga12_closed, pub=other)
    assert done.exit_code == 1
    [line] = fails(done)  # one line for the whole folder, not one per file
    # Another key says nothing either way: neither "wrong key" (which invites trusting that key)
    # nor "changed files".
    assert line.startswith("FAIL  signatures: every file is signed by another key (key id ")
    assert "nothing can be concluded about their content" in line and "wrong public key" not in line
    assert "changed after it was signed" not in done.output


def test_a_changed_file_is_not_a_wrong_key(ga12_closed, cli):
    path = ga12_closed.out / "minutes.md"
    path.write_bytes(path.read_bytes().replace(b"Yes 49", b"Yes 48"))
    done = verify(cli, ga12_closed)
    assert done.exit_code == 1
    assert fails(done) == ["FAIL  minutes.md: signature does not hold, its content changed after it was signed "
                           "— this is not the signed file; take the copy published with its signature"]


def test_a_file_replaced_and_signed_with_another_key_is_named(ga12_closed, cli, tmp_path):
    other, _ = keys.generate(tmp_path / "other.key")
    secret = keys.load_signing_key(tmp_path / "other.key")
    path = ga12_closed.out / "declaration.md"
    forged = path.read_bytes().replace(b"49 in favour", b"48 in favour")
    path.write_bytes(forged)
    (ga12_closed.out / "declaration.md.minisig").write_bytes(signing.sign(secret, forged, "near-tui forged"))
    done = verify(cli, ga12_closed)
    assert done.exit_code == 1
    [line] = fails(done)
    assert line.startswith("FAIL  declaration.md: signed by another key (key id ")
    assert "nothing can be concluded about its content" in line


def test_an_edited_trusted_comment_is_an_edited_signature(ga12_closed, cli):
    sig = ga12_closed.out / "record.json.minisig"
    sig.write_bytes(sig.read_bytes().replace(b"session:ga12-2018", b"session:ga12-2019"))
    done = verify(cli, ga12_closed)
    assert done.exit_code == 1
    [line] = fails(done)
    assert line.startswith("FAIL  record.json: signature does not hold, its signature file was edited")
    assert "another key" not in line and "content changed" not in line


def test_another_sessions_database_is_not_an_altered_one(ga12_closed, cli, tmp_path):
    agenda = write_agenda(tmp_path, [member("jp-a"), member("jp-b")],
                          [{"id": "1", "kind": "decision", "article": "8.11", "title": "Budget"}])
    db = str(tmp_path / "other.sqlite")
    Session.create(load_agenda(agenda), db, clock=FixedClock()).close_log()
    done = verify(cli, ga12_closed, "--db", db)
    assert done.exit_code == 1
    assert fails(done) == [f"FAIL  {db}: holds session 'test-1', the signed files session 'ga12-2018' — a different "
                           "session's database, not an altered one; pass the database this folder was closed from"]
    # Its own log is still checked and reported.
    assert "ok    log: hash chain holds over 2 events" in done.output  # the opening and its seat joining


def test_another_database_of_the_same_session_is_not_an_altered_one(ga12_closed, cli, tmp_path):
    db = str(tmp_path / "rehearsal.sqlite")
    rehearsal = Session.create(load_agenda(GA12), db, clock=FixedClock("2018-10-28T15:00:00"))
    rehearsal.close_log()
    done = verify(cli, ga12_closed, "--db", db)
    assert done.exit_code == 1
    [line] = fails(done)
    assert line == (f"FAIL  {db}: another database of session ga12-2018 (opened 2018-10-28 15:00:00 UTC; the signed "
                    "one was opened 2018-10-29 09:00:00 UTC) — a different database, not an altered one; pass the "
                    "database this folder was closed from")


def test_an_altered_database_is_called_altered(ga12_closed, cli, tmp_path):
    copy = tmp_path / "doctored.sqlite"
    src, dst = sqlite3.connect(ga12_closed.db), sqlite3.connect(copy)
    with dst:
        src.backup(dst)
    src.close()
    with dst:
        dst.execute("DELETE FROM near_events WHERE kind = 'session_closed'")
    dst.close()
    done = verify(cli, ga12_closed, "--db", copy)
    assert done.exit_code == 1
    assert "FAIL  log: no event carries the signed chain head" in done.output
    assert "removed or altered" in done.output
    assert "different" not in done.output


def test_a_missing_record_json_still_leaves_the_log_checked(ga12_closed, cli, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(ga12_closed.out, folder)
    (folder / "record.json").unlink()
    done = verify(cli, ga12_closed, "--db", ga12_closed.db, folder=folder)
    assert done.exit_code == 1
    out = done.output
    assert "FAIL  record.json: missing — copy it back from the folder the session was closed into" in out
    events = ga12_closed.session.state.last_seq
    assert f"ok    log: hash chain holds over {events} events" in out
    assert f"ok    {ga12_closed.db}: compared with the chain head signed with declaration.md (record.json is missing)" in out
    for name in ("declaration.md", "minutes.md", "record.csv"):
        assert f"ok    {name}: identical to the one rebuilt from the log" in out


def test_a_missing_record_json_and_an_altered_log_are_both_reported(ga12_closed, cli, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(ga12_closed.out, folder)
    (folder / "record.json").unlink()
    copy = tmp_path / "doctored.sqlite"
    src, dst = sqlite3.connect(ga12_closed.db), sqlite3.connect(copy)
    with dst:
        src.backup(dst)
    src.close()
    seq, payload = dst.execute("SELECT seq, payload FROM near_events WHERE kind = 'vote_recorded' "
                               "AND payload LIKE '%cn-henan%' AND payload LIKE '%\"item_id\":\"2\"%'").fetchone()
    with dst:
        dst.execute("UPDATE near_events SET payload = ? WHERE seq = ?", (payload.replace('"yes"', '"no"'), seq))
    dst.close()
    done = verify(cli, ga12_closed, "--db", copy, folder=folder)
    assert done.exit_code == 1
    assert f"FAIL  log: event {seq} (vote_recorded): content does not match its hash (altered)" in done.output
    assert "FAIL  minutes.md: differs from the one rebuilt from the log:" in done.output


@pytest.mark.parametrize("name", SIGNED_FILES)
def test_every_signed_file_is_checked_by_verify(ga12_closed, cli, name):
    path: Path = ga12_closed.out / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    done = verify(cli, ga12_closed)
    assert done.exit_code == 1
    assert f"FAIL  {name}: signature does not hold, its content changed after it was signed" in done.output


def test_a_database_missing_its_first_event_is_altered_not_another_session(ga12_closed, cli, tmp_path):
    copy = tmp_path / "doctored.sqlite"
    src, dst = sqlite3.connect(ga12_closed.db), sqlite3.connect(copy)
    with dst:
        src.backup(dst)
    src.close()
    with dst:
        dst.execute("DELETE FROM near_events WHERE seq = 1")
    dst.close()
    done = verify(cli, ga12_closed, "--db", copy)
    assert done.exit_code == 1
    assert "FAIL  log: event 2: expected sequence number 1" in done.output
    assert "different" not in done.output
