"""The clerk's app, its shell: one Session, four screens (modes), every key an intent on the log.

``build_app(db, item)`` is the one factory the CLI and the tests use. ``ClerkApp`` holds what
every screen shares: the modes and their keys, start-up, the gate every key passes (a held key's
repeats and any key while a write is under way are refused with a word), plain-text toasts,
redrawing every screen, and the command palette. The rest is in one module per concern, each a
mixin of ``ClerkApp``:

- ``writes.py``: screens never write; ``app.record(intent, ..., then=...)`` runs the intent in a
  thread worker, one write at a time, and ``then(recorded)`` runs once it is durable;
- ``follow.py``: other seats on the same database are followed by a thread worker that reads
  what they append; a log rewritten under the seat, or its database deleted or replaced, stops it;
- ``item_flows.py``: what opening an item does, by its kind (roll call, noted, consensus, election);
- ``session_end.py``: ending the session (close and sign) and reopening it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import Callable, Iterable
from importlib import import_module

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from near_tui.core.errors import NearError, RuleError
from near_tui.service.session import Session
from near_tui.storage.connection_abort import ConnectionAbort
from near_tui.storage.session_log import utc_now

from . import figures
from .follow import FOLLOW_INTERVAL, FollowOtherSeats
from .item_flows import ItemFlows
from .key_repeat import KeyRepeat
from .session_end import EndAndReopen
from .theme import HALL_THEME
from .writes import HUNG_UP, NO_ANSWER, PendingWrite, WriteWorker

log = logging.getLogger(__name__)


def _lazy_screen(module: str, name: str) -> Callable[[], Screen]:
    """A mode's screen, imported when the clerk first goes there (only one is needed for the first frame)."""
    def make() -> Screen:
        return getattr(import_module(f"{__package__}.screens.{module}"), name)()
    return make


def _first_mode(state, item: str | None) -> str:
    """The screen the clerk starts on: the roll call of the item asked for once its vote has opened,
    else the agenda (which opens a pending one); without an item, the open vote's roll call, else the
    agenda at the first pending item."""
    if item is not None:
        asked = state.items.get(item)
        opened = asked is not None and asked.item.kind == "decision" and asked.status != "pending"
        return "roll_call" if opened else "agenda"
    return "roll_call" if state.open_item is not None else "agenda"


def _freeze_start_up_heap() -> None:
    """Move what start-up built (Textual, the core's models, the roster, the first screen) out of the
    collector's reach: a full collection during a key then scans only what the session made since,
    which keeps the rare slow key (bench/RESULTS.md, keypress → painted) short. The collector, paused
    for start-up by ``near-tui clerk`` (``near_tui.clerk.pause_collector``), runs again from here."""
    gc.collect()
    gc.freeze()
    gc.enable()


QUIT_WAIT = 5.0  # seconds a quit waits for a write under way before it hangs up on the database
QUIT_DURING_VOTE = ("q does nothing while a vote is open: press ctrl+q to quit (everything is saved; "
                    "`near-tui clerk --db DB` reopens here).")


class ClerkApp(WriteWorker, FollowOtherSeats, ItemFlows, EndAndReopen, App):
    """The clerk's full-screen console for one session database."""

    TITLE = "NEAR clerk"
    # The four modes' stylesheets are read with the app's own: each screen keeps its file (its
    # CSS_PATH names the same one), but a screen bringing a stylesheet of its own when it first
    # opens makes Textual parse and apply every stylesheet again, about a tenth of the start-up
    # and of a first switch to each mode (bench/RESULTS.md).
    CSS_PATH = ["app.tcss", "screens/agenda.tcss", "screens/attendance.tcss", "screens/letters.tcss",
                "screens/roll_call.tcss"]
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
        # The first screen is the app's first mode, built as Textual starts; switching to it from an
        # empty default screen in on_mount would parse every stylesheet twice more (bench/RESULTS.md).
        self.DEFAULT_MODE = _first_mode(session.state, item)
        super().__init__()
        # Set before the first screen is styled, so its stylesheets are parsed once with the theme's
        # colours rather than once with Textual's and again with ours.
        self.register_theme(HALL_THEME)
        self.theme = HALL_THEME.name
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
        self.item_id: str | None = item if item in session.state.items else figures.resume_item(session.state)

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
        self.screen_change_signal.subscribe(self, self._show_stopped)
        self._start_following()
        self.call_after_refresh(_freeze_start_up_heap)
        state = self.state
        if self.start_item is None:
            return  # resumed where the log stands (``_first_mode``)
        if self.start_item not in state.items:
            self.notify(f"There is no agenda item {self.start_item!r}; showing the agenda.", severity="error")
            return
        item = state.items[self.start_item]
        if item.item.kind == "decision" and item.status == "pending":
            self.record(self.session.open_vote, self.start_item, self.start_order,
                        then=lambda ok: ok and self.switch_mode("roll_call"))

    def on_unmount(self) -> None:
        # A write still under way at quit (ctrl+q is taken while one is) may end as it would; one that
        # does not within QUIT_WAIT is on a database that gives no answer: hang up, or the program
        # could not exit (its thread would be waited for).
        if not self._write_idle.wait(QUIT_WAIT):
            log.error("quitting with a write unanswered for %s s: hanging up", QUIT_WAIT)
            for cut in self._hang_ups:
                cut.abort(HUNG_UP)
        self.session.close_log()

    # --------------------------------------------------- every key's gate
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
        if self.writing is not None and key.key not in ("ctrl+q", "ctrl+c"):
            self.refuse_while_writing(key.key)  # silent for the key that asked for the read under way
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reopen_session":
            return self.state.closed  # hidden from the footer while the session is open
        return True

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


# Everything imported by now (Textual, Rich, the core, this console's modules) lives as long as the
# process: frozen here, once, the collection that ``_freeze_start_up_heap`` runs after the first
# frame has only the session's and the screen's objects to scan (15 ms instead of 65;
# bench/RESULTS.md, start-up). Imports leave almost no cyclic garbage to keep (about a hundred objects).
gc.freeze()
