"""The 12th GA sample replayed in full, closed and signed, for the declaration tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from near_tui.cli.main import main
from near_tui.declaration import keys
from near_tui.declaration.closing import close_and_write
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, GA12_VOTES as VOTES, FixedClock


@dataclass
class Closed:
    session: Session
    db: str
    key: Path
    pub: Path
    out: Path


def _replay_ga12(session: Session) -> None:
    """Everything the 2018 assembly did after attendance and letters: election, votes, the report."""
    session.record_election("1", ["ru-sakha"])
    import_file(session, "votes", VOTES)
    session.note_item("3")


@pytest.fixture
def replay_ga12():
    return _replay_ga12


@pytest.fixture(scope="session")
def _key_pair_made(tmp_path_factory) -> Path:
    """One key pair per test process (making one is cheap, but the closed session below is signed with it)."""
    key = tmp_path_factory.mktemp("key") / "keys" / "near.key"
    keys.generate(key)
    return key.parent


@pytest.fixture
def key_pair(tmp_path: Path, _key_pair_made: Path) -> tuple[Path, Path]:
    """keys/near.key and its .pub in this test's folder (the same pair as ``ga12_closed`` was signed with)."""
    folder = tmp_path / "keys"
    if not folder.exists():
        shutil.copytree(_key_pair_made, folder)
    key = folder / "near.key"
    return key, keys.public_key_path(key)


@pytest.fixture
def ga12_replayed(ga12_present):
    _replay_ga12(ga12_present)
    return ga12_present


@dataclass
class _Made:
    folder: Path
    clock_at: str  # where the fixed clock stood after the close, so later events follow it


@pytest.fixture(scope="session")
def _ga12_closed_made(tmp_path_factory, _key_pair_made) -> _Made:
    """The 12th GA replayed, closed and signed ONCE per test process (replaying and writing the PDFs
    takes seconds); each test gets its own copy through ``ga12_closed``."""
    folder = tmp_path_factory.mktemp("ga12-closed")
    clock = FixedClock()
    session = Session.create(load_agenda(GA12), str(folder / "session.sqlite"), clock=clock)
    import_file(session, "attendance", GA12_ATTENDANCE)
    import_file(session, "letters", GA12_LETTERS)
    _replay_ga12(session)
    close_and_write(session, _key_pair_made / "near.key", folder / "closed")
    session.close_log()
    return _Made(folder, clock.now.isoformat())


@pytest.fixture
def ga12_closed(_ga12_closed_made, db_path, key_pair, tmp_path) -> Closed:
    """A copy of the closed 12th GA in this test's folder: its database at ``db_path``, its files in
    closed/, the key pair in keys/; the session is open for writing, as the one that closed it was."""
    key, pub = key_pair
    made = _ga12_closed_made.folder
    shutil.copy2(made / "session.sqlite", db_path)
    out = tmp_path / "closed"
    shutil.copytree(made / "closed", out)
    session = Session.open(db_path, clock=FixedClock(_ga12_closed_made.clock_at))
    yield Closed(session, db_path, key, pub, out)
    session.close_log()


@pytest.fixture
def cli():
    """Run ``near-tui ARGS``; returns click's Result (output, stdout, stderr, exit_code)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
    return run
