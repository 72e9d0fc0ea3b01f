"""``--seat-key`` on the agenda commands and on ``backup``, as on every other command that opens a
session database for a seat (docs/seats.md, "The keys").

The real ``near-tui`` runs in a child process with ``NEAR_TUI_SEAT_KEY`` pointing at another key,
so the flag must win over the environment. Which key signed an event is read back from the log's
own seals and compared with the key file the flag named.
"""

from __future__ import annotations

import os
import stat

import pytest

from near_tui.core import events as ev
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from near_tui.storage import seat_keys
from support import GA12, run_cli


def sealed_events(db: str) -> list[ev.Event]:
    reader = Session.open(db, readonly=True)
    try:
        return reader.log.read_seals(reader.log.read_events())
    finally:
        reader.close_log()


@pytest.fixture
def session_db(tmp_path) -> str:
    db = str(tmp_path / "ga12.sqlite")
    Session.create(load_agenda(GA12), db).close_log()  # signed by the run's own key (tests/conftest.py)
    return db


def test_every_agenda_command_signs_with_the_key_its_flag_names(session_db, tmp_path):
    key = tmp_path / "keys" / "agenda-seat.key"
    before = len(sealed_events(session_db))
    commands = [
        # The sample is in English and Chinese: each addendum gets its Chinese title, so that
        # nothing is said on stderr but what went wrong.
        ["agenda", "add", "--id", "A9", "--kind", "report", "--title", "A late report", "--in", "zh", "title",
         "一份迟交的报告"],
        ["agenda", "move", "--item", "A9", "--after", "2"],
        ["agenda", "postpone", "--item", "A9", "--reason", "the rapporteur is absent"],
        ["agenda", "add", "--id", "A10", "--kind", "report", "--title", "Another report", "--in", "zh", "title",
         "另一份报告"],
        ["agenda", "withdraw", "--item", "A10", "--reason", "withdrawn by its sponsor"],
    ]
    for args in commands:
        done = run_cli(*args, "--db", session_db, "--seat-key", str(key))
        assert done.returncode == 0, (args, done.stderr)
        assert done.stderr == ""
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # made at first use, private
    seat = seat_keys.load_or_make(key)
    other = seat_keys.load_or_make(os.environ["NEAR_TUI_SEAT_KEY"])
    assert seat.key_id != other.key_id
    added = sealed_events(session_db)[before:]
    # The seat joins once, then each of the five commands appends its one event, all under this key.
    assert [e.kind for e in added] == [ev.SEAT_JOINED, ev.ITEM_ADDED, ev.ITEM_MOVED, ev.ITEM_POSTPONED,
                                       ev.ITEM_ADDED, ev.ITEM_WITHDRAWN]
    assert {e.seal.seat for e in added} == {seat.key_id}
    done = run_cli("audit", "--db", session_db)
    assert done.returncode == 0, done.stdout + done.stderr


def test_backup_takes_the_flag_and_signs_nothing(session_db, tmp_path):
    key = tmp_path / "backup-seat.key"
    out = tmp_path / "copy.sqlite"
    done = run_cli("backup", "--db", session_db, "--seat-key", str(key), str(out))
    assert done.returncode == 0, done.stderr
    assert not key.exists(), "a backup records nothing: it makes no key"
    original, copy = sealed_events(session_db), sealed_events(str(out))
    assert [(e.hash, e.seal) for e in copy] == [(e.hash, e.seal) for e in original]


@pytest.mark.parametrize("command", [["agenda", "add"], ["agenda", "withdraw"], ["agenda", "postpone"],
                                     ["agenda", "move"], ["backup"]])
def test_the_help_names_the_flag(command):
    done = run_cli(*command, "--help")
    assert done.returncode == 0
    assert "--seat-key FILE" in done.stdout
    assert "NEAR_TUI_SEAT_KEY" in done.stdout
