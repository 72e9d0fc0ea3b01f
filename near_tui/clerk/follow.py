"""A clerk seat follows what the other seats record (two laptops on one session database).

A worker thread reads, through the one follower (``near_tui.storage.follower``,
its own READ-ONLY connection), the events appended after the last one it has read, and hands them to the app in a message; the
app folds them into its state on the main thread (``fold``) and redraws. The
writer's own engine is never used for this: on SQLite its connections begin
with ``BEGIN IMMEDIATE``, so polling through it would take the write lock ten
times a second.

The reader keeps its own place in the log (sequence number and hash) instead of
reading the state's: the state also holds events of this seat that are folded
in before they commit, which the log does not have yet.
"""

from __future__ import annotations

from textual.widgets import Static

from near_tui.core import events as ev
from near_tui.core.errors import LogRewritten
from near_tui.service.session import Session

FOLLOW_INTERVAL = 0.1  # seconds between two reads; a read with nothing new costs no query


def fold(session: Session, events: list[ev.Event]) -> list[ev.Event]:
    """Fold events read by the seat's ``Follower`` into ``session``; return those that were new to it.

    ``Session.absorb`` skips the events the state already holds (this seat's own, usually)
    and checks that each new one links onto the chain. The one already-held event that can
    still be compared, the state's last, must be the one the state holds.
    """
    state = session.state
    for event in events:
        if event.seq == state.last_seq and event.hash != state.head:
            raise LogRewritten(session.log.db, event.seq, state.head, event.hash)
    return session.absorb(events)


def stopped_words(reason: str, title: str = "LOG REWRITTEN") -> str:
    """The banner of a seat that found the log rewritten (or its database gone) under it."""
    return f"{title} — this seat has stopped recording: {reason}"


class StoppedBanner(Static):
    """The full-width bar a stopped seat shows on top of every screen, dialogs included."""

    DEFAULT_CSS = """
    StoppedBanner {
        dock: top;
        width: 100%;
        height: auto;
        padding: 0 1;
        background: $error;
        color: $background;
        text-style: bold;
    }
    """

    def on_mount(self) -> None:
        # The screen's footer drops the keys that record (their ``check_action`` reads ``app.stopped``).
        self.screen.refresh_bindings()
