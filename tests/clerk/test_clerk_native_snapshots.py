"""Clerk screens with native names, and the dialogs of the end and reopening of a session, pinned
at a laptop terminal (80x24) and a large one (160x45). Review the SVGs under __snapshots__."""

from __future__ import annotations

import pytest

from near_tui.declaration.keys import generate
from support import clerk_app

from .native import native_session

SIZES = [(80, 24), (160, 45)]
ids = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731


def steady(*keys):
    """Press ``keys``, then stop the text boxes' cursors blinking: a snapshot must not depend on when it is taken."""
    async def run(pilot):
        from textual.widgets import Input

        await pilot.press(*keys)
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()
    return run


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_roll_call_with_native_names(snap_compare, tmp_path, size):
    db, session = native_session(tmp_path)
    session.open_vote("2")
    for member_id in ("cn-heilongjiang", "jp-aomori", "kr-busan"):
        session.record_vote("2", member_id, "yes")
    session.close_log()
    assert snap_compare(clerk_app(db, item="2"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_attendance_with_native_names(snap_compare, tmp_path, size):
    db, session = native_session(tmp_path, present=["jp-aomori", "ru-sakha"])
    session.close_log()
    assert snap_compare(clerk_app(db), terminal_size=size, press=["f3"])


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_end_session_with_items_pending(snap_compare, tmp_path, size, monkeypatch):
    db, session = native_session(tmp_path, present=["jp-kyoto"])
    session.note_item("3")
    session.close_log()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keys").mkdir()
    generate(tmp_path / "keys" / "test-1.key")
    assert snap_compare(clerk_app(db), terminal_size=size, run_before=steady("ctrl+e"))


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_reopen_dialog(snap_compare, tmp_path, size):
    db, session = native_session(tmp_path, present=["jp-kyoto"])
    session.close_session(leave_pending=True)
    session.close_log()
    assert snap_compare(clerk_app(db), terminal_size=size, run_before=steady("ctrl+o", *"Item 3 was missed", "enter"))
