"""A seat follows a vote another seat opens, and F5 goes to the open vote from any screen."""

from __future__ import annotations

from chair import scenes
from near_tui.clerk.screens.roll_call import RollCallScreen
from near_tui.service.session import Session
from support import clerk_app, toast_messages

from .test_two_seats import shows_within


def other_seat(db: str, action) -> None:
    session = Session.open(db)
    try:
        action(session)
    finally:
        session.close_log()


def close_item_2(session) -> None:
    session.open_vote("2")
    for member_id in scenes.present_voters():
        session.record_vote("2", member_id, "yes")
    session.close_vote("2")


async def test_a_seat_moves_to_the_roll_call_another_seat_opens(present_db):
    other_seat(present_db, close_item_2)
    app = clerk_app(present_db, item="2")  # this seat reads the closed roll call of item 2
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen) and app.screen.item_id == "2"
        other_seat(present_db, lambda s: s.open_vote("4"))
        await shows_within(pilot, lambda: isinstance(app.screen, RollCallScreen) and app.screen.item_id == "4", 3)
        assert any("opened the vote on item 4" in t and "now shows its roll call" in t for t in toast_messages(app))


async def test_a_seat_with_a_dialog_open_stays_and_is_told_where_the_vote_is(clerk_pilot, present_db):
    async with clerk_pilot(size=(100, 30)) as pilot:
        app = pilot.app
        await pilot.press("q")  # the quit question: a dialog the clerk is answering
        await pilot.pause()
        dialog = app.screen
        other_seat(present_db, lambda s: s.open_vote("2"))
        await shows_within(pilot, lambda: any("opened the vote on item 2" in t for t in toast_messages(app)), 3)
        assert app.screen is dialog  # not taken away from under the clerk
        assert any("F5 goes to its roll call" in t for t in toast_messages(app))


async def test_f5_on_a_closed_roll_call_goes_to_the_open_vote(clerk_pilot, present_db):
    other_seat(present_db, close_item_2)
    async with clerk_pilot(item="2", size=(100, 30)) as pilot:
        app = pilot.app
        # Keep this seat from following by itself: only F5 should take it there.
        app.workers.cancel_group(app, "follow")
        other_seat(present_db, lambda s: s.open_vote("4"))
        app.refresh_from_log()
        await pilot.pause()
        assert app.screen.item_id == "2"
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen) and app.screen.item_id == "4"
        await pilot.press("f2")  # from the agenda too
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen) and app.screen.item_id == "4"
