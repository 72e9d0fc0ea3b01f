"""Clerk app fixtures: session databases built with the fixed clock, and the app on them."""

from __future__ import annotations

import asyncio
import functools

import pytest

from helpers import FixedClock
from near_tui.clerk import build_app
from near_tui.clerk.key_repeat import KeyRepeat
from near_tui.service.session import Session


def clerk_app(db: str, item: str | None = None, order: str = "roster", held_keys: bool = False, **options):
    """The app exactly as the CLI builds it, with a clock that makes every render reproducible.

    Pilot presses keys milliseconds apart, as fast as a held key repeats: unless ``held_keys``,
    the app counts every key as a new press (the tests of the repeat rule pass True)."""
    if not held_keys:
        options.setdefault("key_repeat", KeyRepeat(first=0.0, gap=0.0))
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


def screen_text(app) -> str:
    """Every line of the terminal as the app last composed it (dialogs over their screen), plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def small_session(tmp_path, names: list[str], present: list[int], items: list[dict] | None = None,
                  name: str = "small") -> str:
    """A session database with members ``names`` (ids m1, m2...), those at ``present`` (0-based) in person."""
    from helpers import FixedClock, write_agenda
    from near_tui.inputs.agenda_file import load_agenda

    members = [{"id": f"m{i + 1}", "name": n, "country": "JP", "status": "member", "voting": "full"}
               for i, n in enumerate(names)]
    items = items or [{"id": "1", "title": "Fees", "kind": "decision", "article": "8.6"}]
    agenda = write_agenda(tmp_path, members, items, name=f"{name}.yaml")
    db = str(tmp_path / f"{name}.sqlite")
    session = Session.create(load_agenda(agenda), db, clock=FixedClock())
    for i in present:
        session.set_attendance(f"m{i + 1}", "in_person")
    session.close_log()
    return db
