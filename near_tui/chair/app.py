"""The chair's full-screen view: follows the clerk's log read-only and shows it large.

A polling worker (the dolphie pattern) reads new events in a thread every
``poll_interval`` seconds and posts a ``Polled`` message; the widgets only
render the ``Board`` they are handed. Nothing here writes to the database.

The chair is live or says it is not: when a read fails, a full-width NOT LIVE
bar says why above the last figures read, until a read succeeds again; when the
log was rewritten under it, the chair stops following for good and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import ContentSwitcher, Footer, Label, Static
from textual.worker import Worker, WorkerState

from near_tui.i18n import LANGUAGES, SOURCE, beside, speaking
from near_tui.ui.display_text import show
from near_tui.views.view_model import Board
from near_tui.views.words import N_, _

from .agenda_view import AgendaView
from .follower import LogFollower, Poll
from .themes import DARK, LIGHT, PROJECTOR_THEMES, THEME_NAMES
from .vote_view import VoteView

POLL_INTERVAL = 0.1  # seconds; a poll with nothing new is one indexed query
STALLED_AFTER = 2.0  # seconds without an answer from the reader before the chair says it is not live


class ChairApp(App[None]):
    CSS_PATH = "chair.tcss"
    TITLE = "NEAR — chair"
    # The footer's words are in the chair's language beside English; short in English so that both
    # fit 80 columns. Each key has one binding per language, the language its action's parameter
    # ("toggle_agenda('zh')"), and ``check_action`` lets through the chair's language only: the
    # footer shows that binding's words (Textual's dynamic actions). English is bound here; another
    # language the first time the chair speaks it (``_key_words``), and never taken away.
    KEYS = (("a", "toggle_agenda", N_("Agenda")), ("t", "toggle_theme", N_("Light/dark")),
            ("l", "next_language", N_("Language")), ("q", "quit", N_("Quit")))
    KEY_ACTIONS = frozenset(action for _key, action, _words in KEYS)
    BINDINGS = [Binding(key, f"{action}({SOURCE!r})", description) for key, action, description in KEYS]

    class Polled(Message):
        def __init__(self, poll: Poll) -> None:
            super().__init__()
            self.poll = poll

    def __init__(self, follower: LogFollower, theme: str = "light", poll_interval: float = POLL_INTERVAL,
                 on_painted: Callable[[Board], None] | None = None, language: str = SOURCE) -> None:
        super().__init__()
        self.follower = follower
        # The languages the l key steps through: the session's, and the one asked for first.
        session_languages = follower.session_state.definition.session.languages
        self.languages = tuple(dict.fromkeys((language, *session_languages)))
        self.language = language
        follower.words = beside(language)
        self.board = follower.board
        self.poll_interval = poll_interval
        self.on_painted = on_painted  # benchmark hook: called once a new board is on screen
        self.problem: str | None = None
        self.problems: list[str] = []  # why reads failed, each time it changed, for the record
        self.rewritten = False  # the log was rewritten: following stopped for good
        self.pinned_agenda = False
        self._polling = False
        self._poll_started = 0.0
        self._poll_worker: Worker | None = None
        self._views_ready = False
        self._keys_spoken = {SOURCE}  # the languages the keys have bindings in
        for projector_theme in PROJECTOR_THEMES:
            self.register_theme(projector_theme)
        self.theme = THEME_NAMES[theme]

    def compose(self) -> ComposeResult:
        with Horizontal(id="banner"):
            yield Label(id="session-title")
            yield Label(id="live")
        yield Static(id="not-live")
        with ContentSwitcher(id="views", initial="agenda"):
            yield VoteView(id="vote")
            yield AgendaView(id="agenda")
        # The palette is not for the hall: its key stays, its label would crowd out the chair's own.
        yield Footer(show_command_palette=False, compact=True)

    def _key_words(self) -> None:
        """The footer in the chair's language, beside English, as every other fixed word."""
        if self.language not in self._keys_spoken:
            self._keys_spoken.add(self.language)
            with speaking(self.follower.words):
                for key, action, description in self.KEYS:
                    self.bind(key, f"{action}({self.language!r})", description=_(description))
        self.refresh_bindings()  # check_action is asked again: the footer shows the language's words

    def on_mount(self) -> None:
        self._key_words()
        self._views_ready = True
        self._show()
        self._timer = self.set_interval(self.poll_interval, self._tick)

    def on_unmount(self) -> None:
        self._views_ready = False
        self.follower.close()

    # ------------------------------------------------------------ following
    def _tick(self) -> None:
        if self.rewritten:
            return
        now = monotonic()
        if self._polling:  # one read at a time; a slow database skips ticks
            if self._poll_worker is not None and self._poll_worker.state == WorkerState.ERROR:
                self._polling = False  # it died without a word: say so, and try again
                with speaking(self.follower.words):
                    self._set_problem(_("the log reader stopped ({error}); trying again").format(
                        error=repr(self._poll_worker.error)))
            elif now - self._poll_started > STALLED_AFTER:
                # A read that never ends must not leave old figures up as if they were live.
                with speaking(self.follower.words):
                    self._set_problem(_("no answer from the session log for more than {seconds} s "
                                        "(the database may be locked or its disk unreachable)").format(
                        seconds=f"{STALLED_AFTER:.0f}"))
            if self._polling:
                return
        self._polling = True
        self._poll_started = now
        self._poll_worker = self._poll()

    def _set_problem(self, problem: str) -> None:
        if problem != self.problem:
            self.problem = problem
            self.problems.append(problem)
            self._show()

    @work(thread=True, exit_on_error=False)
    def _poll(self) -> None:
        try:
            result = self.follower.poll()
        except Exception as exc:  # keep following whatever happens; say what went wrong
            with speaking(self.follower.words):
                said = _("cannot read the session log ({error})").format(error=f"{exc.__class__.__name__}: {exc}")
            result = Poll(None, said)
        self.post_message(self.Polled(result))

    def on_chair_app_polled(self, message: Polled) -> None:
        self._polling = False
        if self.rewritten:
            return
        changed = message.poll.problem != self.problem
        self.problem = message.poll.problem
        if changed and self.problem is not None:
            self.problems.append(self.problem)
        if message.poll.rewritten:
            self.rewritten = True
            self._timer.stop()  # a rewritten log is never followed further
        if message.poll.board is not None:
            if message.poll.board.vote is not None and (
                    self.board.vote is None or message.poll.board.vote.item_id != self.board.vote.item_id):
                self.pinned_agenda = False  # a new item on the floor takes the screen back
            self.board = message.poll.board
            changed = True
        if changed:
            self._show()
            if message.poll.board is not None and self.on_painted is not None:
                board = message.poll.board
                self.call_after_refresh(self.on_painted, board)

    # ------------------------------------------------------------ rendering
    def _show(self) -> None:
        if not self._views_ready:
            return  # a read that ends while the screen closes draws nothing
        with speaking(self.follower.words):
            try:
                self._draw()
            except NoMatches:
                return  # the screen is being taken down (the app is closing): nothing to draw on

    def _draw(self) -> None:
        board = self.board
        show(self.query_one("#session-title", Label), "$title · $venue", layout=True,
             title=board.title, venue=board.venue)
        live = self.query_one("#live", Label)
        show(live, "$status", layout=True, status=_("⚠ NOT LIVE") if self.problem else board.status)
        live.set_class(bool(self.problem), "problem")
        not_live = self.query_one("#not-live", Static)
        not_live.display = bool(self.problem)
        if self.problem:
            show(not_live, "$said", layout=True, said=f"{_('NOT LIVE')} — {self.problem}")
        showing_vote = board.vote is not None and not self.pinned_agenda
        # Only the view on screen is redrawn; the other catches up when shown.
        if showing_vote:
            self.query_one(VoteView).show(board.vote)
        else:
            self.query_one(AgendaView).show(board)
        self.query_one(ContentSwitcher).current = "vote" if showing_vote else "agenda"

    def action_toggle_agenda(self, _language: str = SOURCE) -> None:
        self.pinned_agenda = not self.pinned_agenda
        self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.KEY_ACTIONS and parameters and parameters[0] != self.language:
            return False  # a key's binding in another language than the chair's
        # The language key is offered only where there is another language to switch to.
        if action == "next_language":
            return len(self.languages) > 1
        return True

    def action_next_language(self, _language: str = SOURCE) -> None:
        """The next of the session's languages beside English; the picture is rebuilt on the next poll."""
        self.language = self.languages[(self.languages.index(self.language) + 1) % len(self.languages)]
        self.follower.words = beside(self.language)
        self._key_words()
        self.notify(LANGUAGES[self.language], timeout=1.5)

    def action_toggle_theme(self, _language: str = SOURCE) -> None:
        self.theme = DARK if self.theme == LIGHT else LIGHT

    async def action_quit(self, _language: str = SOURCE) -> None:
        await super().action_quit()

    def watch_theme(self, _theme: str) -> None:
        if self._views_ready:
            with speaking(self.follower.words):
                self.query_one(AgendaView).show(self.board)  # its table colours come from the theme


def build_app(db: str, theme: str = "light", poll_interval: float = POLL_INTERVAL,
              language: str = SOURCE) -> ChairApp:
    """Open ``db`` read-only (errors are the user's, raised before the screen starts) and build the app;
    ``language``: the fixed words shown beside English, and the agenda's texts in it where given."""
    return ChairApp(LogFollower(db, beside(language)), theme=theme, poll_interval=poll_interval, language=language)
