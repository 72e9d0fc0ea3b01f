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

A log rewritten under the seat, or its database deleted or replaced, stops the seat
(``FollowOtherSeats.stop_recording``, found by the reader or by the next write): a
banner on every screen, and nothing more is recorded.
"""

from __future__ import annotations

import logging

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from near_tui.core import events as ev
from near_tui.core.errors import LogReplaced, LogRewritten, LogVanished, NearError
from near_tui.service.session import Session
from near_tui.storage.follower import Follower, NotLive, NotLiveReason
from near_tui.ui.display_text import show
from near_tui.views.words import not_live_words

from .seat_follow import follow_opened_vote
from .writes import stop_title

log = logging.getLogger(__name__)

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


class FollowOtherSeats:
    """The clerk app's reader of other seats (a mixin of ``ClerkApp``): the follow worker, the
    folding of what it read, and the stop of a seat whose log was rewritten or whose file is gone.

    Uses the app's ``session``, ``follow_interval``, ``follow_problem``, ``stopped`` (set here,
    once), ``writing`` and ``_after_write`` (what is read while a write is under way waits for it),
    ``_hang_ups`` (its reader's connection is hung up on too when a write gets no answer) and
    ``refresh_views``.
    """

    class Followed(Message):
        """What the follow worker read: events other seats appended, or why it could not read."""

        def __init__(self, events: list[ev.Event], problem: str | None = None, rewritten: bool = False,
                     title: str | None = None) -> None:
            super().__init__()
            self.events = events
            self.problem = problem
            self.rewritten = rewritten  # the log or its file is no longer what this seat wrote: the seat stops
            self.title = title or "LOG REWRITTEN"  # what stopped it, for the banner

    def _start_following(self) -> None:
        try:
            tail = Follower(self.session.log.db, start=self.session.mark, sealed=True)  # the seat checks seals
        except NearError as exc:  # this seat still records; it only does not see the others
            self.follow_problem = str(exc)
            self.notify(f"Cannot read what other seats record: {exc}", title="Not following other seats",
                        severity="warning", timeout=12)
            return
        self._hang_ups.append(tail.log.hang_up)  # its read is stuck too
        self._follow(tail)

    @work(thread=True, exit_on_error=False, group="follow")
    def _follow(self, tail: Follower) -> None:
        """Read what other seats append, every ``follow_interval``, until the app ends.

        Posts a message only when there is something new (or a new problem): a poll with
        nothing new costs the main thread nothing.
        """
        worker = get_current_worker()
        problem = None
        try:
            while not worker.is_cancelled:
                try:
                    # The seat's own file first (a few stat calls): deleted or replaced, the seat stops
                    # now, before the clerk's next key is taken for recorded.
                    self.session.log.check_file()
                    result = tail.poll(self.session.mark)
                except (LogVanished, LogReplaced) as exc:
                    self.post_message(self.Followed([], str(exc), rewritten=True, title=stop_title(exc)))
                    return  # a vanished or replaced database is never followed further
                except Exception as exc:  # a read that failed in an unforeseen way is retried; the seat says so
                    events, now = [], f"{type(exc).__name__}: {exc}"
                else:
                    events, now = result.events, None
                    if isinstance(result.live, NotLive):
                        now = not_live_words(result.live, seat=result.live.final)
                        if result.live.final:
                            title = "DATABASE REPLACED" if result.live.reason is NotLiveReason.REPLACED else None
                            self.post_message(self.Followed([], now, rewritten=True, title=title))
                            return  # a rewritten or replaced log is never followed further
                if events or now != problem:
                    self.post_message(self.Followed(events, now))
                problem = now
                if worker.cancelled_event.wait(self.follow_interval):
                    return
        finally:
            tail.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "follow" and event.state == WorkerState.ERROR and self.stopped is None:
            # The reader died on something unforeseen: say so, and start reading again shortly.
            log.error("follow worker failed", exc_info=event.worker.error)
            self.follow_problem = f"{type(event.worker.error).__name__}: {event.worker.error}"
            self.notify(f"Stopped reading what other seats record ({self.follow_problem}); reading again.",
                        title="Not following other seats", severity="warning", timeout=12)
            self.set_timer(1.0, self._start_following)

    def on_follow_other_seats_followed(self, message: Followed) -> None:
        if self.stopped is not None:
            return
        if self.writing is not None:  # the write worker is folding into the state: these wait for it
            self._after_write.append(message)
            return
        if message.rewritten:
            self.stop_recording(message.problem or "", message.title)
            return
        if message.problem != self.follow_problem:
            self.follow_problem = message.problem
            if message.problem is not None:
                self.notify(f"Cannot read what other seats record: {message.problem}",
                            title="Not following other seats", severity="warning", timeout=12)
        if not message.events:
            return
        try:
            new = fold(self.session, message.events)
        except LogRewritten as exc:
            self.stop_recording(str(exc), stop_title(exc))
            return
        if new:  # else only this seat's own events, already on screen
            self.refresh_views()  # the roll call puts its cursor back on the member called, unless one is selected
            follow_opened_vote(self, new)  # a vote another seat opened: this seat goes to its roll call

    def stop_recording(self, reason: str, title: str = "LOG REWRITTEN") -> None:
        """The log was rewritten, or its database deleted or replaced, under this seat: say so on
        every screen and record nothing more (``title``: what happened, in capitals)."""
        if self.stopped is None:
            self.stopped = stopped_words(reason, title)
            self.workers.cancel_group(self, "follow")
            log.error("%s", self.stopped)
        self._hide_waiting()
        self._show_stopped(self.screen)
        for screen in self.screen_stack:
            self._show_stopped(screen)
        self.notify(self.stopped, title=title.capitalize(), severity="error", timeout=30)

    def _show_stopped(self, screen: Screen) -> None:
        """Put the stopped banner on ``screen`` (every screen the clerk sees once the seat stopped)."""
        if self.stopped is None:
            return
        if not screen.is_attached:
            if screen in self.screen_stack:  # pushed, not mounted yet
                self.call_after_refresh(self._show_stopped, screen)
            return
        found = screen.query(StoppedBanner)
        banner = found.first() if found else StoppedBanner()
        if not found:
            screen.mount(banner)
        show(banner, "$words", layout=True, words=self.stopped)
