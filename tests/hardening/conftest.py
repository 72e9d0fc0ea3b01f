"""Fixtures of the hardening tests: a fresh session database on each backend."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helper modules beside this file (pg_server, support) are imported by plain name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pg_server import PgServer  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server():
    """One private PostgreSQL server per test process, started on first use."""
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, empty session database: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "session.sqlite")
    return request.getfixturevalue("pg_server").new_database()

