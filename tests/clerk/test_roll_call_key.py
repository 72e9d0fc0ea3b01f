"""F5 (and r) while a vote is open: always that vote's roll call, whatever item is selected elsewhere.

Found in a tmux trial: with item 5's vote open and item 1 selected on the agenda, F5 on the
letters screen only said something about item 1, and the `y` keys typed next went into the
letters filter, looking like answers taken.
"""

from __future__ import annotations

from near_tui.clerk.screens.letters import LettersScreen
from near_tui.clerk.screens.roll_call import RollCallScreen
from support import clerk_app, events, screen_text


async def test_f5_goes_to_the_open_roll_call_from_any_screen_whatever_item_is_selected(present_db):
    app = clerk_app(present_db, item="2")  # opens item 2's roll call
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        calling = app.state.now_calling("2")
        await pilot.press("f2")
        await pilot.pause()
        while app.item_id != "1":  # the cursor onto item 1, an election not yet recorded
            await pilot.press("up")
            await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        before = len(events(present_db))
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen) and app.screen.item_id == "2"
        await pilot.press("y")
        await pilot.pause()
        assert app.state.items["2"].votes.get(calling) == "yes"
        assert len(events(present_db)) == before + 1  # that one answer, nothing else


async def test_without_an_open_vote_f5_still_acts_on_the_selected_item(clerk_pilot):
    async with clerk_pilot() as pilot:
        app = pilot.app
        assert app.state.open_item is None
        await pilot.press("f2")
        await pilot.pause()
        while app.item_id != "2":
            await pilot.press("down" if (app.item_id or "0") < "2" else "up")
            await pilot.pause()
        await pilot.press("f5")  # a decision not yet voted: the order dialog, as enter gives
        await pilot.pause()
        assert type(app.screen).__name__ == "OrderDialog"


async def test_a_closed_roll_call_on_a_narrow_terminal_still_offers_help_in_its_footer(clerk_pilot):
    # Below 70 columns the answer keys fill the footer and F1 leaves it; on a closed roll call there
    # are no answer keys, and the footer was left empty.
    async with clerk_pilot(item="2", size=(60, 20)) as pilot:
        app = pilot.app
        assert "f1" not in app.screen.active_bindings
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("space", "2", "enter")
        await pilot.pause()
        assert app.state.items["2"].status == "closed"
        footer = screen_text(app).splitlines()[-1]
        assert "Help" in footer and "Yes" not in footer
