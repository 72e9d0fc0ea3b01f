"""Clerk app fixtures: session databases built with the fixed clock, and the app on them."""

from __future__ import annotations

import asyncio
import functools

import pytest

from near_tui.clerk import build_app
from near_tui.session import Session
from helpers import FixedClock


def clerk_app(db: str, item: str | None = None, order: str = "roster", **options):
    """The app exactly as the CLI builds it, with a clock that makes every render reproducible."""
    return build_app(db, item=item, clock=FixedClock("2018-10-29T10:00:00"), order=order, **options)


def events(db: str) -> list:
    session = Session.open(db, readonly=True)
    try:
        return session.log.read_events()
    finally:
        session.close_log()


def text_of(widget) -> str:
    """What a Static shows, as plain text."""
    return str(widget.render())


@pytest.fixture
def present_db(ga12_present, db_path) -> str:
    """The 12th GA with its attendance and letters; the writer closed so the app owns the file."""
    ga12_present.close_log()
    return db_path


@pytest.fixture
def empty_db(ga12_session, db_path) -> str:
    ga12_session.close_log()
    return db_path


def drive(test):
    """Run an async Pilot test with asyncio (the suite has no async plugin)."""
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))
    return run
