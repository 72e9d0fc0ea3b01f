"""Type-to-filter on the member screens: each screen's own, keys in the order typed; footers that fit."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import DataTable, Footer

from near_tui.clerk.screens.attendance import AttendanceScreen
from near_tui.clerk.screens.letter_dialog import LetterDialog
from near_tui.clerk.screens.letters import LettersScreen
from support import text_of


def burst(app, *keys: str) -> None:
    """Keys arriving together, as from a fast typist or a terminal's buffer (Pilot waits between keys)."""
    for key in keys:
        character = {"space": " "}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def settle(pilot, rounds: int = 5) -> None:
    for _ in range(rounds):
        await pilot.pause(0.02)


def shown(screen) -> list[str]:
    return [row.key.value for row in screen.query_one(DataTable).ordered_rows]


async def test_letters_typed_right_after_f4_filter_the_letters_screen_not_attendance(clerk_pilot):
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("f3")
        await pilot.pause()
        attendance = app.screen
        assert isinstance(attendance, AttendanceScreen)
        burst(app, "f4", "h", "u", "n", "a", "n")
        await settle(pilot)
        letters = app.screen
        assert isinstance(letters, LettersScreen)
        assert letters.filter_text == "hunan"
        assert shown(letters) == ["cn-hunan"]
        assert attendance.filter_text == "", "typing on one screen never changes another"
        assert "Filter: hunan" in text_of(letters.query_one("#filter"))


async def test_leaving_a_screen_clears_its_filter_and_a_dialog_over_it_does_not(clerk_pilot):
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("f3", "k", "y", "o", "t", "o")
        await pilot.pause()
        attendance = app.screen
        assert shown(attendance) == ["jp-kyoto"]
        await pilot.press("f1")  # help over the screen: the filter stays
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert attendance.filter_text == "kyoto"
        await pilot.press("f4")  # another screen: the filter goes
        await pilot.pause()
        assert app.screen.filter_text == ""
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen is attendance and attendance.filter_text == ""
        assert len(shown(attendance)) > 70, "back to the full list"
        assert "Type a name" in text_of(attendance.query_one("#filter"))


async def test_enter_typed_right_after_a_name_opens_that_members_letter(clerk_pilot):
    """enter acts after the letters typed before it: never on the member highlighted before the filter."""
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("f4")
        await pilot.pause()
        burst(app, "k", "y", "o", "t", "o", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LetterDialog)
        assert dialog.member.id == "jp-kyoto"


async def test_positions_typed_right_after_enter_go_to_the_letter_in_order(clerk_pilot, empty_db):
    async with clerk_pilot(db=empty_db) as pilot:
        app = pilot.app
        await pilot.press("f4")
        await pilot.pause()
        burst(app, "a", "o", "m", "o", "r", "i", "enter", "y", "n", "a", "enter")
        await settle(pilot, 10)
        assert isinstance(app.screen, LettersScreen)
        # The letter dialog lists the open decisions in agenda order: 2, 4, 5, ...
        assert app.state.letter_in_effect("jp-aomori").positions == {"2": "yes", "4": "no", "5": "abstain"}


@pytest.mark.parametrize("mode", ["attendance", "letters"])
async def test_the_footer_fits_80_columns_with_every_key_whole(clerk_pilot, mode):
    """A footer wider than the terminal is cut, leaving a stray letter of its last key."""
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("f3" if mode == "attendance" else "f4")
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert footer.virtual_size.width <= footer.size.width == 80
        keys = [key for key, active in app.screen.active_bindings.items() if active.binding.show]
        # The screen on view is not in its own footer; the other member screen and the agenda are.
        own, other = ("f3", "f4") if mode == "attendance" else ("f4", "f3")
        assert own not in keys and other in keys and "f2" in keys and "f1" in keys
