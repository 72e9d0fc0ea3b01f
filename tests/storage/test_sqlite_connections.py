"""An SQLite writer keeps its connection between writes, and lets it go when disposed of.

Closing the last connection to a WAL database checkpoints it and deletes the -wal file, which
made every vote pay a second sync when the writer reconnected per write. Whether a connection is
still open shows on disk: the -wal file stays while one is, and goes with the last.
"""

from __future__ import annotations

from pathlib import Path

from near_tui.service.session import Session


def wal(db: str) -> Path:
    return Path(f"{db}-wal")


def test_the_writer_keeps_its_connection_and_dispose_lets_it_go(ga12_session, db_path):
    ga12_session.close_log()
    assert not wal(db_path).exists()
    session = Session.open(db_path)
    first, second = list(session.state.members)[:2]
    session.set_attendance(first, "in_person")
    assert wal(db_path).exists(), "the writer's connection is still open after its write"
    session.set_attendance(second, "online")
    assert wal(db_path).exists()
    session.close_log()
    assert not wal(db_path).exists(), "dispose closed the last connection (SQLite then checkpoints)"
