"""ctrl+e with items pending needs a deliberate "leave them pending" step; ctrl+o reopens with a reason.

No answer key, enter, a double press or a held ctrl+e closes a session: with items pending
only space on the "leave pending" box, then ctrl+e, does, and the close event names the
items left. Reopening takes a reason and the word "reopen" typed out.
"""

from __future__ import annotations

from textual.widgets import Input, Static

from near_tui.clerk.screens.close_session_dialog import DOUBLE_PRESS, CloseSessionDialog
from near_tui.clerk.screens.dialogs import InfoDialog
from near_tui.clerk.screens.reopen_dialog import ReopenDialog
from near_tui.core import events as ev
from near_tui.declaration.keys import generate
from near_tui.service.session import Session
from support import PRESS_AT_ONCE, clerk_app, events, text_of, toast_messages, toasts, wait_for, wait_for_screen
from support.locks import hold_write_lock

from .native import native_session

SLIPS = ["y", "n", "a", "x", "c", "enter", "enter", "ctrl+e", "ctrl+e"]



def session_with_items_pending(tmp_path) -> str:
    """Item 2's vote closed; item 1 (election) and item 3 (report) still pending."""
    db, session = native_session(tmp_path, present=["jp-kyoto"])
    session.open_vote("2")
    session.record_vote("2", "jp-kyoto", "yes")
    session.close_vote("2")
    session.close_log()
    return db


def kinds(db: str) -> list[str]:
    return [e.kind for e in events(db)]


async def test_pending_items_are_named_and_no_slip_closes_the_session(clerk_pilot, tmp_path):
    db = session_with_items_pending(tmp_path)
    key = tmp_path / "k.key"
    generate(key)
    async with clerk_pilot(db=db, key_path=str(key), out_dir=str(tmp_path / "out")) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog)
        body = text_of(dialog.query_one("#body", Static))
        assert "Still pending (2)" in body
        assert "1. Appointment of the Next Chair" in body and "3. Report of the Secretariat" in body
        tick = dialog.query_one("#leave-pending")
        assert app.focused is tick
        assert "☐ Leave these 2 items pending" in str(tick.render())
        before = len(events(db))
        for key_name in SLIPS:  # answer keys, c, enter, double enter, double ctrl+e: nothing closes
            await pilot.press(key_name)
            await pilot.pause()
        await pilot.pause(DOUBLE_PRESS)
        await pilot.press("ctrl+e")  # deliberate, but the box is not ticked
        await pilot.pause()
        assert app.screen is dialog and not app.state.closed and len(events(db)) == before
        assert "items are pending: tick the box with space first" in text_of(dialog.query_one("#hint", Static))

        app.set_focus(tick)
        await pilot.press("space", "space")  # a double space ticks and unticks: still nothing
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert not app.state.closed and len(events(db)) == before

        await pilot.press("space")  # ticked
        assert "☑ Ticked: close with these 2 items not taken up" in str(tick.render())
        await pilot.press("ctrl+e")
        await wait_for_screen(app, InfoDialog)
    closed = events(db)[-1]
    assert closed.kind == ev.SESSION_CLOSED and closed.payload["left_pending"] == ["1", "3"]
    assert "not taken up" in (tmp_path / "out" / "declaration.md").read_text(encoding="utf-8")


async def test_a_ctrl_e_pressed_twice_does_not_close_a_session_with_nothing_pending(clerk_pilot, tmp_path):
    db, session = native_session(tmp_path, present=["jp-kyoto"])
    session.record_election("1", ["jp-kyoto"])
    session.note_item("3")
    session.open_vote("2")
    session.record_vote("2", "jp-kyoto", "yes")
    session.close_vote("2")
    session.close_log()
    key = tmp_path / "k.key"
    generate(key)
    async with clerk_pilot(db=db, key_path=str(key), out_dir=str(tmp_path / "out")) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e", "ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog) and not dialog.query("#leave-pending"), "nothing pending: no box"
        assert "ctrl+e came at once" in text_of(dialog.query_one("#hint", Static))
        assert not app.state.closed
        await pilot.pause(DOUBLE_PRESS)
        await pilot.press("ctrl+e")
        await wait_for_screen(app, InfoDialog)
    closed = events(db)[-1]
    assert closed.kind == ev.SESSION_CLOSED and "left_pending" not in closed.payload


async def test_ctrl_e_twice_in_a_burst_opens_the_dialog_without_a_waiting_toast(clerk_pilot, tmp_path):
    db, session = native_session(tmp_path, present=["jp-kyoto"])
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await wait_for(lambda: app.writing is None, what="the seat's start-up read")
        # The dialog opens after a read of the log; another program's lock holds that read, so the
        # second press surely comes while it is under way.
        holder = hold_write_lock(db, 3.0)  # long enough for two presses on a loaded machine, under the 5 s bound
        try:
            await PRESS_AT_ONCE(pilot, "ctrl+e")
            assert app.writing is not None
            await PRESS_AT_ONCE(pilot, "ctrl+e")
            assert app.writing is not None and app.writing.refused == 0, "absorbed, not refused"
        finally:
            holder.wait(10)
        dialog = await wait_for_screen(app, CloseSessionDialog)
        await pilot.pause()
        said = toast_messages(app)
        assert not [m for m in said if "waiting for the database" in m or "was refused" in m], said
        assert app.screen is dialog and not app.state.closed
    assert events(db)[-1].kind != ev.SESSION_CLOSED


async def test_reopen_needs_a_reason_and_the_word_typed_and_is_offered_only_once_closed(clerk_pilot, tmp_path):
    db, session = native_session(tmp_path, present=["jp-kyoto"])
    session.close_session(leave_pending=True)
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        assert "ctrl+o" in app.screen.active_bindings, "the footer offers the reopen once closed"
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReopenDialog)
        assert app.focused is dialog.query_one("#reason", Input)
        before = len(events(db))
        await pilot.press("enter", "enter")  # no reason, nothing typed: refused, back to the reason
        await pilot.pause()
        assert app.screen is dialog and "write the reason first" in text_of(dialog.query_one("#hint", Static))
        assert app.focused is dialog.query_one("#reason", Input)
        await pilot.press(*"Item 3 was missed")
        await pilot.press("enter", "y", "enter")  # an answer key then enter: not the word
        await pilot.pause()
        assert app.screen is dialog and "type reopen" in text_of(dialog.query_one("#hint", Static))
        assert app.state.closed and len(events(db)) == before
        await pilot.press(*"reopen", "enter")
        await pilot.pause()
        assert not app.state.closed
        assert "ctrl+o" not in app.screen.active_bindings, "nothing to reopen while open"
        assert any("Session reopened" in title for title, _ in toasts(app))
    last = events(db)[-1]
    assert last.kind == ev.SESSION_REOPENED and last.payload == {"reason": "Item 3 was missed"}
    assert kinds(db).count(ev.SESSION_REOPENED) == 1


async def test_reopen_from_the_palette_and_esc_keeps_it_closed(clerk_pilot, tmp_path):
    db, session = native_session(tmp_path, present=["jp-kyoto"])
    app = clerk_app(db)
    session.close_log()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Reopen session" not in titles  # open: nothing to reopen
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not isinstance(app.screen, ReopenDialog)
    session = Session.open(db)
    session.close_session(leave_pending=True)
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Reopen session")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ReopenDialog)
        await pilot.press(*"typo", "tab", *"reopen", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReopenDialog) and app.state.closed
    assert events(db)[-1].kind == ev.SESSION_CLOSED
