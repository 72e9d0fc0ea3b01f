"""The 12th GA sample replayed in full, closed and signed, for the declaration tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from near_tui.cli.main import main
from near_tui.declaration import keys
from near_tui.declaration.closing import close_and_write
from near_tui.service.imports import import_file
from near_tui.service.session import Session

VOTES = Path(__file__).resolve().parents[2] / "agenda" / "ga12-2018-votes.csv"


@dataclass
class Closed:
    session: Session
    db: str
    key: Path
    pub: Path
    out: Path
    written: list[Path]


def _replay_ga12(session: Session) -> None:
    """Everything the 2018 assembly did after attendance and letters: election, votes, the report."""
    session.record_election("1", ["ru-sakha"])
    import_file(session, "votes", VOTES)
    session.note_item("3")


@pytest.fixture
def replay_ga12():
    return _replay_ga12


@pytest.fixture
def key_pair(tmp_path: Path) -> tuple[Path, Path]:
    key = tmp_path / "keys" / "near.key"
    key.parent.mkdir()
    pub, _ = keys.generate(key)
    return key, pub


@pytest.fixture
def ga12_replayed(ga12_present):
    _replay_ga12(ga12_present)
    return ga12_present


@pytest.fixture
def ga12_closed(ga12_replayed, db_path, key_pair, tmp_path) -> Closed:
    key, pub = key_pair
    out = tmp_path / "closed"
    written = close_and_write(ga12_replayed, key, out)
    return Closed(ga12_replayed, db_path, key, pub, out, written)


@pytest.fixture
def cli():
    """Run ``near-tui ARGS``; returns click's Result (output, stdout, stderr, exit_code)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
    return run
