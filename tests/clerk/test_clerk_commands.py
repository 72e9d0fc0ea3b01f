"""`near-tui clerk` and `near-tui demo` from the command line (the app itself is not run here)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from near_tui.clerk import app as clerk_app_module
from near_tui.cli.main import main
from near_tui.declaration.keys import is_protected, read_secret_key
from near_tui.service.session import Session


def test_clerk_refuses_a_missing_database_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["clerk", "--db", str(tmp_path / "nope.sqlite")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "no such session database" in result.output
    assert not (tmp_path / "nope.sqlite").exists()


def test_clerk_refuses_an_unknown_item(empty_db):
    result = CliRunner().invoke(main, ["clerk", "--db", empty_db, "--item", "99"])
    assert result.exit_code == 2
    assert "no agenda item '99'" in result.output


def test_demo_creates_a_fresh_session_with_the_sample_attendance_and_letters(tmp_path, monkeypatch):
    opened = []
    monkeypatch.chdir(tmp_path)  # the demo writes under the directory it is run from, whatever the install
    monkeypatch.setattr(clerk_app_module.ClerkApp, "run",
                        lambda self: opened.append((self.session.log.db, self.key_path, self.out_dir)))
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    db = result.output.splitlines()[0]
    assert db.startswith(str(tmp_path / "sessions" / "demo-")) and db.endswith(".sqlite")
    # Its own folder holds a demo signing key, so ctrl+e can close and sign the demo at once.
    folder = Path(db[: -len(".sqlite")])
    assert opened == [(db, str(folder / "demo.key"), str(folder))]
    assert not is_protected(read_secret_key(folder / "demo.key"))
    assert (folder / "demo.key.pub").is_file()
    session = Session.open(db, readonly=True)
    try:
        figures = session.state.session_figures()
    finally:
        session.close_log()
    assert (figures["in_person"], figures["letter"]) == (29, 21)


def test_demo_uses_the_key_it_is_given(tmp_path, monkeypatch):
    opened = []
    monkeypatch.chdir(tmp_path)  # the demo writes under the directory it is run from, whatever the install
    monkeypatch.setattr(clerk_app_module.ClerkApp, "run", lambda self: opened.append(self.key_path))
    result = CliRunner().invoke(main, ["demo", "--empty", "--key", "keys/mine.key"])
    assert result.exit_code == 0, result.output
    assert opened == ["keys/mine.key"]
    assert not list((tmp_path / "sessions").glob("demo-*/demo.key"))


def test_a_seat_that_stopped_recording_never_says_the_session_was_saved(tmp_path, monkeypatch):
    # The clerk quits after its database vanished under it: the demo must not print "session
    # saved in …" (the file is gone) and must not exit 0.
    monkeypatch.chdir(tmp_path)  # the demo writes under the directory it is run from, whatever the install

    def quit_after_the_database_went(self):
        self.stopped = "DATABASE GONE — this seat has stopped recording: the file is not there"

    monkeypatch.setattr(clerk_app_module.ClerkApp, "run", quit_after_the_database_went)
    result = CliRunner().invoke(main, ["demo", "--empty"])
    assert result.exit_code == 2, result.output
    assert "session saved" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert "DATABASE GONE" in last and "stopped recording" in last
