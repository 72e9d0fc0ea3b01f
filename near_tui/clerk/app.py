"""The clerk's app: one Session, four screens (modes), every key an intent on the log.

``build_app(db, item)`` is the one factory the CLI and the tests use. Screens
never write: they call ``app.record(intent, ..., then=...)``, which runs the
Session intent in a thread worker, one write at a time, so that no disk or
network wait ever holds the screen (``writes``). The screen says the event is
recorded only once it is durable: ``then(recorded)`` runs on the screen's thread
when the outcome is known, after any refusal was shown and every screen redrawn.
While a write is pending every key but ctrl+q is refused with a word (never
queued to mean something else once the screen has moved on).

Other seats on the same database are followed (``follow.py``): a thread worker
reads what they append, read-only, and the app folds it in and redraws. A log
rewritten under the seat, or a database deleted or replaced under it, stops it: a
banner on every screen, and no more writes.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from near_tui.core import events as ev
from near_tui.core.errors import LogReplaced, LogRewritten, LogVanished, NearError, RuleError
from near_tui.core.state import SET_ASIDE
from near_tui.service.session import Session
from near_tui.storage.connection_abort import ConnectionAbort
from near_tui.storage.follower import Follower, NotLive, NotLiveReason
from near_tui.storage.mirror import MirrorFailed
from near_tui.storage.session_log import utc_now
from near_tui.ui.display_text import show
from near_tui.views.verdict import item_verdict
from near_tui.views.words import not_live_words

from . import figures
from .follow import FOLLOW_INTERVAL, StoppedBanner, fold, stopped_words
from .key_repeat import KeyRepeat
from .seat_follow import follow_opened_vote, go_to_open_vote
from .theme import HALL_THEME
from .writes import (
    NO_ANSWER,
    NOT_ANSWERING,
    WAIT_SHOWN,
    PendingWrite,
    WaitingBanner,
    pending_words,
    stop_title,
    unanswered_words,
)

if TYPE_CHECKING:
    from .screens.close_session_dialog import SessionClosed

log = logging.getLogger(__name__)


def _lazy_screen(module: str, name: str) -> Callable[[], Screen]:
    """A mode's screen, imported when the clerk first goes there (only one is needed for the first frame)."""
    def make() -> Screen:
        return getattr(import_module(f"{__package__}.screens.{module}"), name)()
    return make


def _freeze_start_up_heap() -> None:
    """Move what start-up built (Textual, the core's models, the roster, the first screen) out of the
    collector's reach: a full collection during a key then scans only what the session made since,
    which keeps the rare slow key (bench/RESULTS.md, keypress → painted) short."""
    gc.collect()
    gc.freeze()


HUNG_UP = "the database stopped answering: this seat no longer connects to it"
QUIT_WAIT = 5.0  # seconds a quit waits for a write under way before it hangs up on the database
QUIT_DURING_VOTE = ("q does nothing while a vote is open: press ctrl+q to quit (everything is saved; "
                    "`near-tui clerk --db DB` reopens here).")


class ClerkApp(App):
    """The clerk's full-screen console for one session database."""

    TITLE = "NEAR clerk"
    CSS_PATH = "app.tcss"
    MODES = {
        "agenda": _lazy_screen("agenda", "AgendaScreen"),
        "attendance": _lazy_screen("attendance", "AttendanceScreen"),
        "letters": _lazy_screen("letters", "LettersScreen"),
        "roll_call": _lazy_screen("roll_call", "RollCallScreen"),
    }
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("f2,g", "goto('agenda')", "Agenda"),
        Binding("f3,t", "goto('attendance')", "Attend."),
        Binding("f4,l", "goto('letters')", "Letters"),
        Binding("f5,r", "roll_call", "Roll call"),
        # Shown on the agenda's footer only (its screen binds the same key), to leave room elsewhere.
        Binding("ctrl+e", "end_session", "End session", show=False),
        # Offered (footer, palette) only once the session is closed (check_action).
        Binding("ctrl+o", "reopen_session", "Reopen"),
        Binding("ctrl+q", "quit", "Quit", show=False),
        Binding("q", "ask_quit", "Quit", show=False),
    ]

    class Followed(Message):
        """What the follow worker read: events other seats appended, or why it could not read."""

        def __init__(self, events: list[ev.Event], problem: str | None = None, rewritten: bool = False,
                     title: str | None = None) -> None:
            super().__init__()
            self.events = events
            self.problem = problem
            self.rewritten = rewritten  # the log or its file is no longer what this seat wrote: the seat stops
            self.title = title or "LOG REWRITTEN"  # what stopped it, for the banner

    class Written(Message):
        """The write worker's outcome: None when the intent was recorded, else what stopped it."""

        def __init__(self, error: BaseException | None) -> None:
            super().__init__()
            self.error = error

    class Say(Message):
        """A toast asked for from another thread (an after-commit hook runs in the write worker)."""

        def __init__(self, message: str, options: dict) -> None:
            super().__init__()
            self.message = message
            self.options = options

    def __init__(self, session: Session, item: str | None = None, order: str = "roster",
                 key_path: str | None = None, out_dir: str | None = None,
                 follow_interval: float = FOLLOW_INTERVAL, key_repeat: KeyRepeat | None = None,
                 no_answer: float = NO_ANSWER) -> None:
        super().__init__()
        self.follow_interval = follow_interval
        self.no_answer = no_answer  # seconds a write may go without an outcome (writes.NO_ANSWER)
        self.unanswered = False  # the seat stopped on a write that got no answer: nothing here is trusted
        self._unanswered_said = 0.0  # when a refused key last repeated why (one toast every few seconds)
        # Hung up on once a write got no answer, so that the stuck driver calls return.
        self._hang_ups: list[ConnectionAbort] = [session.log.hang_up]
        self._write_idle = threading.Event()  # set while no write thread runs (a quit waits for it)
        self._write_idle.set()
        # Tells a held key's auto-repeat from a new press (key_repeat.py) for the keys a screen names.
        self.key_repeat = key_repeat if key_repeat is not None else KeyRepeat()
        self.writing: PendingWrite | None = None  # the one write under way, if any
        self._held_said: str | None = None  # the held key already told about (one toast per hold)
        self._after_write: list[Message] = []  # other seats' events read while a write was under way
        self.stopped: str | None = None  # set once the log was found rewritten: nothing more is recorded
        self.follow_problem: str | None = None  # why other seats' events cannot be read now
        self.session = session
        self.start_item = item
        self.start_order = order
        self.key_path = key_path  # signing key for the close (--key)
        self.out_dir = out_dir  # folder for the declaration files (--out)
        self.item_id: str | None = figures.resume_item(session.state)

    @property
    def state(self):
        return self.session.state

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every toast is plain text: its message often holds a member's name or an item title.

        From another thread (an after-commit hook in the write worker) the toast is posted to
        the screen's thread, which alone may touch the screen."""
        options = {"title": title, "severity": severity, "timeout": timeout}
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # a worker thread: no event loop runs there
            self.post_message(self.Say(message, options))
            return
        super().notify(message, markup=False, **options)

    def on_clerk_app_say(self, message: Say) -> None:
        self.notify(message.message, **message.options)

    # ------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        self.register_theme(HALL_THEME)
        self.theme = HALL_THEME.name
        self.screen_change_signal.subscribe(self, self._show_stopped)
        self._start_following()
        self.call_after_refresh(_freeze_start_up_heap)
        state = self.state
        if self.start_item is not None:
            if self.start_item not in state.items:
                self.switch_mode("agenda")
                self.notify(f"There is no agenda item {self.start_item!r}; showing the agenda.", severity="error")
                return
            self.item_id = self.start_item
            item = state.items[self.start_item]
            if item.item.kind == "decision":
                if item.status == "pending":
                    self.switch_mode("agenda")
                    self.record(self.session.open_vote, self.start_item, self.start_order,
                                then=lambda ok: ok and self.switch_mode("roll_call"))
                    return
                self.switch_mode("roll_call")
                return
            self.switch_mode("agenda")
            return
        # Resume: an open vote reopens its roll call; otherwise the first pending item.
        self.switch_mode("roll_call" if state.open_item is not None else "agenda")

    def on_unmount(self) -> None:
        # A write still under way at quit (ctrl+q is taken while one is) may end as it would; one that
        # does not within QUIT_WAIT is on a database that gives no answer: hang up, or the program
        # could not exit (its thread would be waited for).
        if not self._write_idle.wait(QUIT_WAIT):
            log.error("quitting with a write unanswered for %s s: hanging up", QUIT_WAIT)
            for cut in self._hang_ups:
                cut.abort(HUNG_UP)
        self.session.close_log()

    # -------------------------------------------------------------- writes
    def record(self, intent: Callable, *args, closed_ok: bool = False,
               then: Callable[[bool], object] | None = None, absorbs: str | None = None) -> bool:
        """Start one Session intent in the write worker; False when it was refused at once (said).

        ``then(recorded)`` runs on the screen's thread once the outcome is known: True only
        when the events are committed into the file at the database's path. A refusal is
        shown, never raised. ``closed_ok``: the one intent that acts on a closed session
        (reopening it). ``absorbs``: a key dropped without a word while this runs (``read_log``).
        """
        if self.stopped is not None:
            self.notify(self.stopped, title="Not recorded", severity="error", timeout=12)
            return False
        if self.state.closed and not closed_ok:
            self.notify("The session is closed and its declaration signed: nothing more can be recorded.",
                        title="Session closed", severity="error", timeout=8)
            return False
        if self.writing is not None:
            self.refuse_while_writing()
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

    def on_clerk_app_written(self, message: Written) -> None:
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
            self.on_clerk_app_followed(followed)

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
        """A key came while a write is under way: refused, never kept for later."""
        pending = self.writing
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

    async def on_event(self, event: events.Event) -> None:
        # Keys are judged here, before any binding or widget sees them: a held key's repeats, and
        # any key while a write is under way, are refused with a word.
        if isinstance(event, events.Key) and not event.is_forwarded and self._refused(event):
            return
        if isinstance(event, (events.MouseDown, events.MouseUp)) and (self.writing is not None or self.unanswered):
            return  # a click selects a row or presses a button: refused while a write is under way
        await super().on_event(event)

    def _refused(self, key: events.Key) -> bool:
        if self.unanswered and key.key not in ("ctrl+q", "ctrl+c"):
            # Every key, moves included: a screen drawn now would draw from a state that may hold the
            # entry given up on. The seat's only way on is a restart.
            if time.monotonic() - self._unanswered_said > 5:  # one short line; the banner says why at length
                self._unanswered_said = time.monotonic()
                self.notify("Nothing recorded: this seat has stopped recording (see the banner).",
                            severity="warning", timeout=4)
            return True
        if key.key in getattr(self.screen, "ONE_PER_PRESS", ()):
            if self.key_repeat.is_repeat(key.key, key.time):
                if self._held_said != key.key:
                    self._held_said = key.key
                    self.notify(f"{key.key} is held down or pressed again at once: one entry per press. Release "
                                "it, look at the screen, and press it again.", title="Key repeat ignored",
                                severity="warning", timeout=4)
                return True
        else:
            self.key_repeat.other_key()
        self._held_said = None
        if self.writing is not None and key.key == self.writing.absorbs:
            # The key that asked for the dialog about to open, pressed twice in a burst: that dialog
            # refuses a double press itself; "waiting for the database" would only mislead.
            return True
        if self.writing is not None and key.key not in ("ctrl+q", "ctrl+c"):
            self.refuse_while_writing(key.key)
            return True
        return False

    def refresh_views(self) -> None:
        if self.writing is not None or self.unanswered:
            return  # the write worker is folding into the state: redrawn once it is done (or never)
        if self.state.closed != getattr(self, "_footer_closed", False):
            self._footer_closed = self.state.closed  # ctrl+o (reopen) is offered only while closed
            self.refresh_bindings()
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_view", None)
            if refresh is not None:
                refresh()

    # ------------------------------------------------------- other seats
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

    def on_clerk_app_followed(self, message: Followed) -> None:
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

    # ---------------------------------------------------------- navigation
    def action_goto(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_ask_quit(self) -> None:
        if self.state.open_item is not None:
            # While a vote is open the next key is likely an answer: y would confirm a quit, n would
            # be eaten by the dialog. So q only says how to quit (docs/clerk.md, "Quitting").
            self.notify(QUIT_DURING_VOTE, title="Not quitting", timeout=5)
            return
        from .screens.dialogs import ConfirmDialog

        self.push_screen(ConfirmDialog("Quit the clerk console?",
                                       "Everything is already saved; `near-tui clerk --db DB` reopens here.",
                                       "quit"), lambda ok: ok and self.exit())

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_roll_call(self) -> None:
        # While a vote is open, F5 is always its roll call: on another item, whatever is selected,
        # F5 only said something of that item, and the answers typed next fell into a filter.
        open_item = self.state.open_item
        if open_item is not None and not self.state.closed:
            go_to_open_vote(self, open_item)
            return
        if self.item_id is None:
            self.notify("Choose an item on the agenda first (F2).", severity="warning")
            return
        self.open_item(self.item_id)

    def select_item(self, item_id: str | None) -> None:
        self.item_id = item_id

    def open_item(self, item_id: str) -> None:
        """Open an item the way its kind needs: roll call, noted, consensus or election.

        Titles and names are passed to the dialogs as values, never written into their markup.
        """
        from .screens.dialogs import ConsensusDialog, OrderDialog
        from .screens.election_dialog import ElectionDialog

        self.item_id = item_id
        item = self.state.items[item_id]
        kind, title = item.item.kind, item.item.title
        if item.status in SET_ASIDE:  # never voted nor recorded at this session: say why, once
            said = item_verdict(self.state, item_id)
            self.notify(f"Item {item_id}: {said.label} — {said.reason}. It is not voted or recorded at this "
                        "session; add a new item if the assembly takes it up after all.",
                        title="Not opened", severity="warning", timeout=8)
            return
        if self.state.closed:
            if kind == "decision" and item.status != "pending":
                self.action_goto("roll_call")  # its closed roll call can still be read
            else:
                self.notify("The session is closed: nothing more can be recorded.", title="Session closed",
                            severity="warning")
            return
        if kind == "decision":
            if item.status == "pending":
                def opened(order: str | None) -> None:
                    if order:
                        self.record(self.session.open_vote, item_id, order,
                                    then=lambda ok: ok and self.action_goto("roll_call"))
                self.push_screen(OrderDialog(item_id, title), opened)
            else:
                self.action_goto("roll_call")
            return
        if item.status == "closed":
            self.notify(f"Item {item_id} is already recorded: {figures.item_status(self.state, item_id)}.")
            return
        # A recorded result is final: confirmed by the item number typed and enter (no answer key,
        # no double enter can record it).
        from .screens.agenda_dialogs import RecordResultDialog

        if kind in ("report", "presentation"):
            self.push_screen(RecordResultDialog(item_id, title, "NOTED"),
                             lambda ok: ok and self.record(self.session.note_item, item_id))
        elif kind == "consensus":
            def chosen(adopted: bool | None) -> None:
                if adopted is None:
                    return
                word = "ADOPTED by consensus" if adopted else "NOT ADOPTED by consensus"
                self.push_screen(RecordResultDialog(item_id, title, word),
                                 lambda ok: ok and self.record(self.session.record_consensus, item_id, adopted))
            self.push_screen(ConsensusDialog(item_id, title), chosen)
        elif kind == "election":
            # The dialog itself asks for the item number typed and enter (a double enter records nothing).
            def elected(members: list[str] | None) -> None:
                if members:
                    self.record(self.session.record_election, item_id, members)
            self.push_screen(ElectionDialog(self.state, item_id), elected)

    # ------------------------------------------------------ end of session
    def action_end_session(self) -> None:
        """Confirm, then close the session and write its signed declaration (ctrl+e)."""
        self.read_log(then=lambda _read: self._ask_end_session(), absorbs="ctrl+e")

    def _ask_end_session(self) -> None:
        from ..declaration.out_dir import default_out_dir
        from .screens.close_session_dialog import CloseSessionDialog

        if self.stopped is not None:
            self.notify(self.stopped, title="Session not closed", severity="error", timeout=12)
            return
        summary = figures.close_summary(self.state)
        key_path, _exists = figures.default_key_path(self.key_path, summary.session_id)
        out_dir = self.out_dir or str(default_out_dir(summary.session_id))
        self.push_screen(CloseSessionDialog(summary, key_path, out_dir), self._session_closed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reopen_session":
            return self.state.closed  # hidden from the footer while the session is open
        return True

    def action_reopen_session(self) -> None:
        """Reopen the closed session with a reason (ctrl+o): the reason, then "reopen" typed to confirm."""
        self.read_log(then=lambda _read: self._ask_reopen(), absorbs="ctrl+o")

    def _ask_reopen(self) -> None:
        from .screens.reopen_dialog import ReopenDialog

        if not self.state.closed:
            self.notify("The session is open: there is nothing to reopen.", severity="warning")
            return

        def reopened(reason: str) -> None:
            self.refresh_bindings()
            self.notify(f"Session reopened (event {self.state.last_seq}): {reason}. Its signed files no "
                        "longer cover the log: close it again (ctrl+e) to sign new ones.",
                        title="Session reopened", severity="warning", timeout=12)

        def reopen(reason: str | None) -> None:
            if reason:
                self.record(self.session.reopen_session, reason, closed_ok=True,
                            then=lambda ok: ok and reopened(reason))

        self.push_screen(ReopenDialog(self.state.definition.session.id), reopen)

    def _session_closed(self, closed: SessionClosed | None) -> None:
        if closed is None:
            return
        self.read_log(then=lambda _read: self._show_closed(closed))

    def _show_closed(self, closed: SessionClosed) -> None:
        self.refresh_bindings()  # ^e leaves the agenda's footer, ^o comes in
        from ..declaration.keys import public_key_path
        from .screens.dialogs import InfoDialog

        verb = "was already closed; its files were written again" if closed.was_closed else "is closed"
        files = ", ".join(p.name for p in closed.files)
        pub = public_key_path(closed.key_path)
        self.clear_notifications()  # older toasts would cover the folder and chain head
        # The session id, folders and file names are data: values, never markup.
        self.push_screen(InfoDialog(
            f"Session $session {verb}",
            "Declaration, record and signatures written to\n[b]$folder[/]\n$files\n\n"
            f"Log: {closed.last_seq} events · chain head\n[b]$head[/]\n\n"
            "Check them: near-tui verify $folder --pub $pub --db $db",
            session=closed.session_id, folder=closed.folder, files=files, head=closed.head, pub=pub,
            db=self.session.log.db))

    # ------------------------------------------------------ command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Agenda", "The agenda items with their rule and status (F2 / g)",
                            lambda: self.action_goto("agenda"))
        yield SystemCommand("Attendance", "Mark members in person, online or absent (F3 / t)",
                            lambda: self.action_goto("attendance"))
        yield SystemCommand("Letters", "Record or withdraw written decision letters (F4 / l)",
                            lambda: self.action_goto("letters"))
        yield SystemCommand("Roll call", "The open roll call, else the selected item's (F5 / r)", self.action_roll_call)
        yield SystemCommand("Help", "Every key of the clerk's console (F1 / ?)", self.action_help)
        yield SystemCommand("End session", "Close the session and sign its declaration, after confirmation (ctrl+e)",
                            self.action_end_session)
        if self.state.closed:
            yield SystemCommand("Reopen session", "Reopen the closed session, with a reason typed and confirmed "
                                "(ctrl+o)", self.action_reopen_session)
        palette = getattr(screen, "palette_commands", None)
        if palette is not None:
            yield from palette()
        yield from super().get_system_commands(screen)


def build_app(db: str, item: str | None = None, clock=utc_now, order: str = "roster",
              key_path: str | None = None, out_dir: str | None = None, mirror: str | None = None,
              passphrase: str | None = None, key_repeat: KeyRepeat | None = None) -> ClerkApp:
    """The clerk app on session database ``db`` (the one factory for the CLI and the tests).

    ``mirror``: an SQLite file (a USB stick) that holds every event before the clerk sees it
    recorded (near_tui/storage/mirror.py). With a signing key (``key_path``, i.e. ``--key`` or the
    demo's key; ``passphrase`` if it is protected), every vote close also signs a checkpoint
    into ``<out_dir>/checkpoints/`` (near_tui/declaration/checkpoints.py). Both hang on the
    Session's after-commit hooks, so the ClerkApp itself knows nothing of them.
    """
    session = Session.open(db, clock=clock)
    try:
        if item is not None and item not in session.state.items:
            known = ", ".join(session.state.item_order)
            raise RuleError(f"there is no agenda item {item!r} — use one of {known}")
        copy = None
        if mirror is not None:
            from near_tui.storage.mirror import Mirror

            copy = Mirror.attach(session, mirror)
        marks, note = _checkpointer(session, key_path, out_dir, passphrase)
    except BaseException:
        session.close_log()
        raise
    app = ClerkApp(session, item=item, order=order, key_path=key_path, out_dir=out_dir, key_repeat=key_repeat)
    if copy is not None:
        copy.notice = lambda text: app.notify(text, title="Mirror", timeout=10)
    if marks is not None:
        marks.on_problem = lambda text: app.notify(text, title="Checkpoint not written", severity="warning",
                                                   timeout=12)
    if note:
        app.notify(note, title="No checkpoints", severity="warning", timeout=10)
    return app


def _checkpointer(session: Session, key_path: str | None, out_dir: str | None, passphrase: str | None):
    """(the checkpoint hook or None, what to tell the clerk when there is none but a key was meant)."""
    if key_path is None:
        return None, ""  # no --key: the key is asked for at the close only
    # Imported only with a key: signing loads minisign and cryptography, which the first frame
    # of a console without --key does not need (bench/RESULTS.md, start-up).
    from pathlib import Path

    from ..declaration.checkpoints import Checkpointer, checkpoint_folder
    from ..declaration.keys import is_protected, read_secret_key, unlock
    from ..declaration.out_dir import default_out_dir

    path = Path(key_path)
    if not path.is_file():
        return None, f"{path}: no such key file — vote closes are not signed as checkpoints"
    try:
        secret = read_secret_key(path)
    except NearError as exc:
        return None, f"{exc}; vote closes are not signed as checkpoints"
    if is_protected(secret) and not passphrase:
        secret.wipe()
        return None, (f"{path} is protected by a passphrase and none was given at start: "
                      "vote closes are not signed as checkpoints")
    try:
        unlock(secret, path, passphrase)  # a wrong passphrase is refused here, before the session starts
    except NearError:
        secret.wipe()
        raise
    folder = checkpoint_folder(out_dir or default_out_dir(session.state.definition.session.id))
    marks = Checkpointer(secret, folder)
    session.after_commit.append(marks)
    return marks, ""
