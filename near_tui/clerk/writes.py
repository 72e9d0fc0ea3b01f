"""What the clerk sees of a write under way: the pending write, its banner, and why a seat stops.

Writes run in a thread worker (``ClerkApp.record``), one at a time. Most take a few
milliseconds and show nothing; one that waits longer than ``WAIT_SHOWN`` (another
program holds the database, a server is slow) puts "waiting for the database…" on
top of the screen, with how long it has waited, until its outcome is known. Every
wait is bounded in the storage layer (``storage/engines.py``: WRITE_WAIT,
STATEMENT_WAIT), so the banner always ends with a recorded entry or one message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.timer import Timer
from textual.widgets import Static

from near_tui.core.errors import LogReplaced, LogVanished

WAIT_SHOWN = 0.15  # seconds: a write shorter than this shows nothing (no flicker on every key)


@dataclass
class PendingWrite:
    then: Callable[[bool], object] | None  # run on the screen's thread with the outcome
    started: float  # time.monotonic() when it began
    timer: Timer | None = None  # shows the banner after WAIT_SHOWN
    ticker: Timer | None = None  # updates the banner's seconds
    refused: int = 0  # keys refused while it was under way


class WaitingBanner(Static):
    """The bar on top of the screen while a write waits for the database."""

    DEFAULT_CSS = """
    WaitingBanner {
        dock: top;
        width: 100%;
        height: 1;
        padding: 0 1;
        background: $warning;
        color: $background;
        text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__(markup=False)

    def show_wait(self, seconds: float, refused: int) -> None:
        # Whole at 80 columns: the seconds show it is alive, the count that keys were not kept.
        keys = f" · {refused} refused" if refused else ""
        self.update(f"waiting for the database… {seconds:.0f} s — no key is taken until it answers{keys}")


def stop_title(error: BaseException | None) -> str:
    """What stopped a seat, in capitals, for its banner."""
    if isinstance(error, LogVanished):
        return "DATABASE GONE"
    if isinstance(error, LogReplaced):
        return "DATABASE REPLACED"
    return "LOG REWRITTEN"
