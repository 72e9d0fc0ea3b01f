"""Fixtures shared by every test: the bundled 12th GA sample and sessions built from it."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest
from hypothesis import settings

from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session

# Shared constants and helpers live in tests/support/: import them from there, never from a
# conftest (several conftest modules exist, and the name is ambiguous).
from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, PRESS_AT_ONCE, FixedClock
from support.pg_server import PgServer

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _keys_paced_like_a_person(monkeypatch):
    """Pilot presses keys back to back; the clerk's app refuses every key while a write is under
    way (a person's next key comes after the screen moved on). So each key pressed through Pilot
    waits for the write it started, if any (``ClerkApp.writes_settled``), before the next one.
    Tests of keys pressed during a write press with ``support.PRESS_AT_ONCE``."""
    from textual.pilot import Pilot

    async def press(self, *keys: str) -> None:
        settled = getattr(self.app, "writes_settled", None)
        if settled is None:
            await PRESS_AT_ONCE(self, *keys)
            return
        for key in keys:
            if self.app.writing is not None:  # e.g. the seat's first read at start-up
                await settled()
                await self.pause()
            await PRESS_AT_ONCE(self, key)
            if self.app.writing is None:
                # A write started by a dialog's dismiss callback begins a message later than
                # the key: on a loaded machine Pilot's idle wait can return before it.
                await self.pause()
            if self.app.writing is not None:
                await settled()
                await self.pause()  # the outcome drawn, as the person sees it before the next key

    monkeypatch.setattr(Pilot, "press", press)


def pytest_configure(config) -> None:
    """Every seat of the test run (in-process and in subprocesses) signs with a key made in a
    folder of the run's own, never with the ~/.config/near-tui/seat.key of whoever runs the suite."""
    import os
    import tempfile

    if "NEAR_TUI_SEAT_KEY" not in os.environ:
        config._near_seat_folder = tempfile.mkdtemp(prefix="near-seat-")
        os.environ["NEAR_TUI_SEAT_KEY"] = os.path.join(config._near_seat_folder, "seat.key")


def pytest_unconfigure(config) -> None:
    import shutil

    folder = getattr(config, "_near_seat_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


# Hypothesis fails an example that takes over 200 ms by default: on a machine at load 10 a pure
# recount can, and the test then fails on the clock, not on the figures.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked ``slow`` run first, the rest in their usual order. Under ``pytest -n 2`` a long
    test left for the end (the wheel's install, the crash loop) keeps one worker busy while the
    other has nothing left to do; started first, the short tests fill in around them."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """An ``async def`` test runs in a fresh event loop of its own (the suite's one async style:
    Textual's Pilot, the board's streams and the browser are all driven from async tests)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True



@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "session.sqlite")


@pytest.fixture
def ga12_definition():
    return load_agenda(GA12)


@pytest.fixture
def ga12_session(db_path, ga12_definition):
    """A fresh 12th GA session (nothing recorded but its opening)."""
    session = Session.create(ga12_definition, db_path, clock=FixedClock())
    yield session
    session.close_log()


@pytest.fixture
def ga12_present(ga12_session):
    """The 12th GA with its recorded attendance (29 in person) and 21 letters, no votes yet."""
    import_file(ga12_session, "attendance", GA12_ATTENDANCE)
    import_file(ga12_session, "letters", GA12_LETTERS)
    return ga12_session


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
