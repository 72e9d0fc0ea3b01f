"""Clerk app fixtures: session databases built with the fixed clock, and the app on them under Pilot."""

from __future__ import annotations

import contextlib

import pytest

from support import clerk_app


@pytest.fixture
def present_db(ga12_present, db_path) -> str:
    """The 12th GA with its attendance and letters; the writer closed so the app owns the file."""
    ga12_present.close_log()
    return db_path


@pytest.fixture
def empty_db(ga12_session, db_path) -> str:
    ga12_session.close_log()
    return db_path


@pytest.fixture
def clerk_pilot(request: pytest.FixtureRequest):
    """Opens the clerk's app under Pilot, settled after its first frame: ``async with
    clerk_pilot(item="2", size=(120, 40)) as pilot``; ``db=`` for another database than the
    12th GA with its attendance and letters, any other keyword as ``build_app`` takes it."""

    @contextlib.asynccontextmanager
    async def open_clerk(db: str | None = None, size: tuple[int, int] = (80, 24), **options):
        # The 12th GA is built only for a test that opens it: others bring their own database.
        app = clerk_app(db or request.getfixturevalue("present_db"), **options)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield pilot

    return open_clerk
