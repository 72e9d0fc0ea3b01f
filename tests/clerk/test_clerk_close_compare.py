"""A close the clerk confirmed on figures another seat has changed since is refused by the session,
and the clerk sees the dialog again with the figures as they are now (the screen checks nothing)."""

from __future__ import annotations

from textual.widgets import Static

from near_tui.clerk.screens.close_session_dialog import DOUBLE_PRESS, CloseSessionDialog
from near_tui.clerk.screens.close_vote_dialog import CloseVoteDialog
from near_tui.core import events as ev
from near_tui.declaration.keys import generate
from near_tui.service.session import Session
from support import clerk_app, events, small_session, text_of, toasted, wait_for

from .test_clerk_end_pending_reopen import session_with_items_pending


async def test_a_vote_changed_by_another_seat_while_the_close_dialog_is_open_stays_open(tmp_path):
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate"], present=[0, 1, 2])
    app = clerk_app(db, item="1")
    app.follow_interval = 60  # this seat does not read the other's answer before it writes
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        order = [m for m in app.state.call_order("1") if app.state.is_present(m)]
        await pilot.press("y", "y", "c")  # two yes; the dialog shows the third member uncalled
        await pilot.pause()
        assert isinstance(app.screen, CloseVoteDialog)
        other = Session.open(db)
        try:
            other.record_vote("1", order[2], "no", expected=None)  # the other seat answers for the third
        finally:
            other.close_log()
        await pilot.press("space", "1", "enter")  # ticked "counted as not voting", the number, enter
        await pilot.pause()
        assert app.state.items["1"].status == "open"
        assert toasted(app, "changed while the clerk looked at them")
        dialog = app.screen
        assert isinstance(dialog, CloseVoteDialog), "the dialog again, on the figures as they are now"
        # Counted here: two yes from this seat, one no from the other, nobody left to call.
        assert "Yes 2 · No 1 · Abstain 0 · Not voting 0" in text_of(dialog.query_one("#body", Static))
        await pilot.press("1", "enter")
        await pilot.pause()
        t = app.state.tally("1")
        assert (t.status, t.yes, t.no) == ("closed", 2, 1)


async def test_a_session_is_not_closed_when_another_seat_records_a_pending_item_meanwhile(clerk_pilot, tmp_path):
    db = session_with_items_pending(tmp_path)  # items 1 and 3 pending
    key = tmp_path / "k.key"
    generate(key)
    async with clerk_pilot(db=db, key_path=str(key), out_dir=str(tmp_path / "out")) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        await pilot.pause(DOUBLE_PRESS)
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog)
        await pilot.press("space")  # ticked: leave items 1 and 3 pending, as the dialog lists them
        other = Session.open(db)
        try:
            other.note_item("3")  # the other seat records item 3 before the close is written
        finally:
            other.close_log()
        await pilot.press("ctrl+e")
        # The close runs in a worker thread.
        await wait_for(lambda: toasted(app, "items still pending changed"), timeout=60, what="the refusal")
        assert toasted(app, "items still pending changed while the clerk looked at them (now: 1)")
        assert not app.state.closed
    assert events(db)[-1].kind == ev.ITEM_NOTED, "nothing was written after the other seat's record"
