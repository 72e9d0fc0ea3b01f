"""The clerk's writes: the write worker, the write under way, its banner, and why a seat stops.

Screens never write: they call ``app.record(intent, ..., then=...)`` (``WriteWorker``), which
runs the Session intent in a thread worker, one write at a time, so that no disk or network
wait ever holds the screen. The screen says the event is recorded only once it is durable:
``then(recorded)`` runs on the screen's thread when the outcome is known, after any refusal
was shown and every screen redrawn. While a write is under way every key but ctrl+q is
refused with a word (``ClerkApp.on_event``), never queued to mean something else once the
screen has moved on.

Most writes take a few milliseconds and show nothing; one that waits longer than
``WAIT_SHOWN`` (another program holds the database, a server is slow) puts "waiting for
the database…" on top of the screen, with how long it has waited, until its outcome is
known. Every wait the server or SQLite can bound is bounded in the storage layer
(``storage/engines.py``: WRITE_WAIT, STATEMENT_WAIT), and ends with a recorded entry
or one message. A server that stops answering altogether (its processes stopped: the
kernel still acknowledges, so no timeout fires) is bounded here: after ``NO_ANSWER``
seconds without an outcome the seat stops recording, says that the entry may or may not
be on the record, and hangs up on the database (``storage/connection_abort.py``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from near_tui.core.errors import LogReplaced, LogRewritten, LogVanished, NearError
from near_tui.core.state import SessionState
from near_tui.storage.mirror import MirrorFailed

from .roll_call_cursor import said

log = logging.getLogger(__name__)

HUNG_UP = "the database stopped answering: this seat no longer connects to it"
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
    # (``refuse_while_writing``)


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


class WriteWorker:
    """The clerk app's one write path (a mixin of ``ClerkApp``): ``record`` an intent in a thread
    worker, one at a time, and settle its outcome on the screen's thread.

    Uses the app's ``session``, ``state``, ``writing`` (the ``PendingWrite`` under way, or None),
    ``stopped``, ``no_answer``, ``unanswered``, ``_hang_ups`` and ``refresh_views``; a write that
    finds the log rewritten or its file gone, or gets no answer at all, stops the seat
    (``stop_recording``, follow.py), and other seats' events read meanwhile wait in
    ``_after_write`` until the write is settled.
    """

    class Written(Message):
        """The write worker's outcome: None when the intent was recorded, else what stopped it."""

        def __init__(self, error: BaseException | None) -> None:
            super().__init__()
            self.error = error

    def record(self, intent: Callable, *args, closed_ok: bool = False,
               then: Callable[[bool], object] | None = None, absorbs: str | None = None) -> bool:
        """Start one Session intent in the write worker; False when it was refused at once (said).

        ``then(recorded)`` runs on the screen's thread once the outcome is known: True only
        when the events are committed into the file at the database's path. A refusal is
        shown, never raised. ``closed_ok``: the one intent that acts on a closed session
        (reopening it). ``absorbs``: the key that asked for this intent, dropped without a word if
        pressed again while it runs (``refuse_while_writing``); an intent asked for meanwhile by
        that key is refused the same way.
        """
        if self.stopped is not None:
            self.notify(self.stopped, title="Not recorded", severity="error", timeout=12)
            return False
        if self.state.closed and not closed_ok:
            self.notify("The session is closed and its declaration signed: nothing more can be recorded.",
                        title="Session closed", severity="error", timeout=8)
            return False
        if self.writing is not None:
            self.refuse_while_writing(absorbs)
            return False
        pending = self.writing = PendingWrite(then, time.monotonic(), what=pending_words(self.state, intent, args),
                                              absorbs=absorbs)
        pending.timer = self.set_timer(WAIT_SHOWN, self._show_waiting)
        pending.bound = self.set_timer(self.no_answer, lambda: self._no_answer(pending))
        self._write_idle.clear()
        self._write(intent, args)
        return True

    def _no_answer(self, pending: PendingWrite) -> None:
        """A write has had no outcome for ``no_answer`` seconds: the database gives no answer at all.

        The seat stops as for a vanished database, saying the entry may or may not be on the
        record; it hangs up on the database (in a thread: closing a connection may wait on the
        disk) so the stuck write ends. Its outcome, whenever it comes, is not shown: the state
        may hold the entry before its commit, so nothing is drawn from it any more."""
        if self.writing is not pending or self.stopped is not None:
            return
        self.unanswered = True
        for timer in (pending.timer, pending.ticker):
            if timer is not None:
                timer.stop()
        self.stop_recording(unanswered_words(self.session.log.shown, self.no_answer, pending.what), NOT_ANSWERING)
        log.error("no answer from the database for %s s: hanging up", self.no_answer)
        hang_ups = list(self._hang_ups)
        threading.Thread(target=lambda: [cut.abort(HUNG_UP) for cut in hang_ups], name="hang-up", daemon=True).start()

    def read_log(self, then: Callable[[bool], object] | None = None, absorbs: str | None = None) -> None:
        """Fold in what another Session wrote (the close worker, another seat), then ``then(read)``.

        Through the write worker: on SQLite a writer's read takes the write lock, which another
        program may hold. A stopped seat reads nothing more (``then(False)`` at once).
        ``absorbs``: the key that asked for the read, dropped without a word if pressed again meanwhile."""
        if self.stopped is not None:
            if then is not None:
                then(False)
            return
        self.record(self.session.refresh, closed_ok=True, then=then, absorbs=absorbs)

    def refresh_from_log(self) -> None:
        """Fold in events written by another Session, then redraw (``read_log`` without a follow-up)."""
        self.read_log()

    @work(thread=True, exit_on_error=False, group="write")
    def _write(self, intent: Callable, args: tuple) -> None:
        try:
            intent(*args)
        except Exception as exc:  # noqa: BLE001 — every outcome goes back to the screen's thread
            self.post_message(self.Written(exc))
            return
        finally:
            self._write_idle.set()
        self.post_message(self.Written(None))

    def on_write_worker_written(self, message: Written) -> None:
        pending, self.writing = self.writing, None
        if pending is not None:
            for timer in (pending.timer, pending.ticker, pending.bound):
                if timer is not None:
                    timer.stop()
        if self.unanswered:  # given up on: whatever came back is not shown (the seat says why)
            log.error("the write given up on ended: %r", message.error)
            return
        self._hide_waiting()
        recorded = self._settle(message.error)
        if pending is not None and pending.then is not None:
            pending.then(recorded)
        held, self._after_write = self._after_write, []
        for followed in held:  # read by the follow worker meanwhile: folded now, in order
            self.on_follow_other_seats_followed(followed)

    def _settle(self, error: BaseException | None) -> bool:
        """Show a write's outcome and redraw; True when it was recorded."""
        if isinstance(error, (LogRewritten, LogVanished, LogReplaced)):
            self.stop_recording(str(error), stop_title(error))
            return False  # no redraw: the screen keeps what it showed before the key
        if isinstance(error, MirrorFailed):
            # Recorded here, only its copy failed: the screen goes on, the toast says so loudly.
            self.notify(str(error), title="NOT ON THE MIRROR", severity="error", timeout=30)
        elif isinstance(error, NearError):
            self.notify(str(error), title="Not recorded", severity="error", timeout=8)
            self.refresh_views()
            return False
        elif error is not None:  # a bug must not take the hall's screen down
            log.error("intent failed", exc_info=error)
            self.notify(f"{type(error).__name__}: {error}", title="Not recorded (internal error)",
                        severity="error", timeout=12)
            self.refresh_views()
            return False
        self.refresh_views()
        return True

    async def writes_settled(self) -> None:
        """Wait until no write is under way (the tests press their next key after it, as a person would)."""
        while self.writing is not None:
            await asyncio.sleep(0.005)

    def refuse_while_writing(self, key: str | None = None) -> None:
        """A key came while a write is under way: refused, never kept for later.

        The one exception, said nowhere: the key that asked for the read under way (``absorbs``),
        pressed again in the same burst. The dialog that read opens refuses a double press itself,
        and "waiting for the database" would only mislead. A second press reaches here by two
        roads, both ending in this one test: the app's key gate, when the first press's read is
        already under way; or the key's own action, when both presses passed the gate before the
        first reached its binding (Textual hands a key on to the focused widget's queue), so the
        second action's ``record`` finds the first one's read under way.
        """
        pending = self.writing
        if pending is not None and key is not None and key == pending.absorbs:
            return
        if pending is not None:
            pending.refused += 1
        self._show_waiting()
        if pending is not None and pending.refused > 1:
            return  # the banner counts them; one toast per write
        what = f"{key} was refused" if key else "Nothing recorded"
        self.notify(f"{what}: the previous entry is still being written (waiting for the database…). "
                    "Look at the screen again once it is done, then press again.",
                    title="Waiting for the database", severity="warning", timeout=5)

    def _show_waiting(self) -> None:
        pending = self.writing
        if pending is None or self.stopped is not None:
            return
        screen = self.screen
        found = screen.query(WaitingBanner)
        banner = found.first() if found else None
        if banner is None:
            banner = WaitingBanner()
            screen.mount(banner)
        banner.show_wait(time.monotonic() - pending.started, pending.refused)
        if pending.ticker is None:
            pending.ticker = self.set_interval(0.5, self._show_waiting)

    def _hide_waiting(self) -> None:
        for screen in self.screen_stack:
            if screen.is_attached:
                for banner in screen.query(WaitingBanner):
                    banner.remove()
