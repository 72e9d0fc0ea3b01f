"""What the clerk sees of a write under way: the pending write, its banner, and why a seat stops.

Writes run in a thread worker (``ClerkApp.record``), one at a time. Most take a few
milliseconds and show nothing; one that waits longer than ``WAIT_SHOWN`` (another
program holds the database, a server is slow) puts "waiting for the database…" on
top of the screen, with how long it has waited, until its outcome is known. Every
wait the server or SQLite can bound is bounded in the storage layer
(``storage/engines.py``: WRITE_WAIT, STATEMENT_WAIT), and ends with a recorded entry
or one message. A server that stops answering altogether (its processes stopped: the
kernel still acknowledges, so no timeout fires) is bounded here: after ``NO_ANSWER``
seconds without an outcome the seat stops recording, says that the entry may or may not
be on the record, and hangs up on the database (``storage/connection_abort.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.timer import Timer
from textual.widgets import Static

from near_tui.core.errors import LogReplaced, LogVanished
from near_tui.core.state import SessionState

from .roll_call_cursor import said

WAIT_SHOWN = 0.15  # seconds: a write shorter than this shows nothing (no flicker on every key)
# Seconds a write may go without any outcome before the seat stops (docs/hardening.md, "A server
# that stops answering"). Twice the server's statement bound (STATEMENT_WAIT, 30 s), so that every
# wait the server or SQLite ends itself — a held lock (5 s), a statement run to its bound, a
# connection (5 s), and the re-read of the log after a refusal — still ends in its own one-line
# refusal, with room for a loaded machine. Only a database that gives no answer at all gets here.
NO_ANSWER = 60.0


@dataclass
class PendingWrite:
    then: Callable[[bool], object] | None  # run on the screen's thread with the outcome
    started: float  # time.monotonic() when it began
    timer: Timer | None = None  # shows the banner after WAIT_SHOWN
    ticker: Timer | None = None  # updates the banner's seconds
    refused: int = 0  # keys refused while it was under way
    what: str = ""  # what it records, in the clerk's words ("" for a read of the log)
    bound: Timer | None = None  # stops the seat after NO_ANSWER without an outcome
    absorbs: str | None = None  # the key that asked for it: pressed again meanwhile, dropped without a word


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


NOT_ANSWERING = "DATABASE NOT ANSWERING"


def pending_words(state: SessionState, intent: Callable, args: tuple) -> str:
    """What a write records, in the clerk's words, for the message if it never ends ("" for a read)."""
    name = getattr(intent, "__name__", "")

    def who(member_id: object) -> str:
        member = state.members.get(member_id) if isinstance(member_id, str) else None
        return member.full_name if member is not None else str(member_id)

    if name == "refresh":
        return ""
    if name == "record_vote":
        return f"{said(args[2])} for {who(args[1])} on item {args[0]}"
    if name == "set_attendance":
        return f"{who(args[0])} marked {str(args[1]).replace('_', ' ')}"
    if name in ("record_letter", "withdraw_letter"):
        return f"{who(args[0])}'s letter {'recorded' if name == 'record_letter' else 'withdrawn'}"
    if name in ("undo_last", "close_vote", "open_vote"):
        return {"undo_last": "the undo of the last answer", "close_vote": "the close of the vote",
                "open_vote": "the opening of the vote"}[name] + f" on item {args[0]}"
    return "the last entry"


def unanswered_words(db: str, seconds: float, what: str) -> str:
    """Why a seat stopped on a database that gave no answer, and how to go on."""
    entry = (f"The last entry ({what}) may or may not be on the record." if what else
             "This seat was reading what other seats recorded; nothing of its own was being written.")
    return (f"{db} has not answered for {seconds:g} s. {entry} Nothing more is recorded here. Once the "
            "database answers again, restart this seat (near-tui clerk, same --db): it shows what the "
            "record holds — check there before going on.")
