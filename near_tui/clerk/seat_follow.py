"""A seat goes where the session goes: to a vote another seat opens, and to the open vote on F5.

Two laptops share a session: when the other seat opens a roll call, this seat's clerk must
not keep answering on the last closed one. The seat moves to the new roll call and says so
in a toast, unless a dialog is open (the clerk is in the middle of something): then the toast
only says where the vote is (F5 goes there).
"""

from __future__ import annotations

from typing import Any, Protocol

from textual.screen import ModalScreen, Screen

from near_tui.core import events as ev
from near_tui.core.state import SessionState


class ClerkApp(Protocol):
    """What following needs of the clerk's app (app.py's ``ClerkApp``), stated here so that this
    module does not import the app that imports it."""

    state: SessionState
    item_id: str | None
    current_mode: str
    screen_stack: list[Screen[Any]]

    def switch_mode(self, mode: str) -> Any: ...

    def refresh_views(self) -> None: ...

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None) -> None: ...


def dialog_open(app: ClerkApp) -> bool:
    return any(isinstance(screen, ModalScreen) for screen in app.screen_stack)


def follow_opened_vote(app: ClerkApp, new: list[ev.Event]) -> None:
    """After another seat's events are folded in: move to a roll call it opened, if still open."""
    opened = [e.payload["item_id"] for e in new if e.kind == ev.VOTE_OPENED]
    if not opened:
        return
    item_id = opened[-1]
    state = app.state
    if state.open_item != item_id:
        return  # opened and closed again meanwhile: nothing to go to
    title = state.items[item_id].item.title
    if dialog_open(app):
        app.notify(f"Another seat opened the vote on item {item_id} ({title}); F5 goes to its roll call.",
                   title="Vote opened", severity="warning", timeout=10)
        return
    app.item_id = item_id
    if app.current_mode != "roll_call":
        app.switch_mode("roll_call")
    app.refresh_views()
    app.notify(f"Another seat opened the vote on item {item_id} ({title}): this seat now shows its roll call.",
               title="Vote opened", timeout=8)


def go_to_open_vote(app: ClerkApp, open_item: str) -> None:
    """F5 / r while a vote is open: its roll call, from any screen, a closed roll call's included."""
    app.item_id = open_item
    if app.current_mode != "roll_call":
        app.switch_mode("roll_call")
    app.refresh_views()  # already on a roll call (a closed one): it redraws on the open vote
