"""Keys that arrive in one burst, as a terminal delivers two presses read in one go."""

from __future__ import annotations

import asyncio

from near_tui.clerk.screens.close_session_dialog import CloseSessionDialog
from near_tui.core import events as ev
from support import PRESS_AT_ONCE, events, toasts, wait_for, wait_for_screen


async def test_ctrl_e_twice_in_one_burst_opens_the_dialog_without_a_word(clerk_pilot, present_db):
    async with clerk_pilot() as pilot:
        app = pilot.app
        await wait_for(lambda: app.writing is None, what="the seat's start-up read")
        # Both presses are queued before the app handles the first, as when a terminal hands it
        # two keys read at once (tmux send-keys C-e C-e): the first has not started its read yet
        # when the second passes the app's key gate.
        await asyncio.gather(PRESS_AT_ONCE(pilot, "ctrl+e"), PRESS_AT_ONCE(pilot, "ctrl+e"))
        dialog = await wait_for_screen(app, CloseSessionDialog)
        await wait_for(lambda: app.writing is None, what="the read before the dialog")
        await pilot.pause()
        said = toasts(app)
        # docs/clerk.md: the second ctrl+e during that read "is dropped without a word".
        assert said == [], said
        assert app.screen is dialog and not app.state.closed
    assert events(present_db)[-1].kind != ev.SESSION_CLOSED
