"""Roll call of one decision item: one key per answer, the cursor on the member being called.

The member being called is one fact, ``state.now_calling(item)``: it is the cursor's
home, the NOW CALLING panel, and what the chair and any other seat show. y/n/a/x
record that member's answer and the cursor returns home, to the first present
member not yet answered (home also takes it there).

↑/↓ select any row; what a vote key does there depends on the row:

- a present member not called yet: the answer is recorded at once (out of order);
- a member with an answer on record, or with a letter: the key only proposes a
  correction, shown on the panel ("was YES → now NO"); enter records it, any other
  key cancels it;
- at home with nobody left to call, a vote key records nothing and says so.

What a key means is decided, without Textual, by the screen's ``RollCallCursor``
(``roll_call_cursor.py``): the answer it returns names its member, so the write is for
that member whatever the screen shows by the time it runs.

Every answer passes what the row showed (``expected``), so an answer another seat
recorded meanwhile is refused, never overwritten unseen. backspace undoes the latest
entry (a correction event). c opens the close dialog, where only typing the item
number closes the vote (``close_vote_dialog``). Rules: docs/rules.md; keys: docs/clerk.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from near_tui.core.state import SessionState, Tally
from near_tui.service.session import undo_in_room, undo_target
from near_tui.views.view_model import AgendaLine, VotePanel, item_panel, session_now, vote_panel

from .. import figures
from ..roll_call_cursor import Answer, Correction, NobodyLeft, RollCallCursor, Unchanged, said
from ..widgets.call_list import CallList
from ..widgets.cells import Painter, cell
from ..widgets.footer import SteadyFooter
from ..widgets.indicators import NARROW, ItemIndicators, verdict_template
from ..widgets.names import full_name, name_cell, roll_call_budget, shorten
from ..widgets.text import content, show

VOTE_KEYS = {"yes": "y", "no": "n", "abstain": "a", "not_voting": "x"}
ANSWER_STYLE = {"yes": "[b $success]YES[/]", "no": "[b $error]NO[/]", "abstain": "[b]ABSTAIN[/]",
                "not_voting": "[b]NOT VOTING[/]"}
RECORDING_KEYS = {"y", "n", "a", "x", "c", "backspace"}  # what a closed roll call answers with a toast
MOVES = {"up", "down", "pageup", "pagedown", "end", "ctrl+home", "ctrl+end"}  # cancel a correction and still move
ALL_ANSWERED = "Every present member has answered — ↑/↓ selects a row to correct, c closes the vote"
NOBODY_PRESENT = "No member is present to call — ↑/↓ selects a row, c closes the vote"
HISTORY_LINES = 12  # entries on the record panel (wide screens only): each key redraws them all
LEGEND = """\
[b]Keys[/]
[b]y n a x[/]  answer for the member called
[b]↑ ↓[/]      select another row
[b]enter[/]    record a correction shown
[b]esc[/]      drop it
[b]home[/]     back to the member called
[b]⌫[/]        undo the latest entry
[b]c[/]        close the vote (type its number)
[b]F1[/]       every key"""


CALL_COLUMNS = [("n", "#"), ("name", "Member"), ("country", "Ctry"), ("answer", "Answer"), ("note", "Note")]
TITLE_ROOM = 24  # cells the item title keeps in the roll call's header before the call order gives way


def corrected_members(state: SessionState, item_id: str) -> set[str]:
    """Members whose answer on record replaced an earlier one (``SessionState.corrected_members``)."""
    return state.corrected_members(item_id)


def answer_cell(state: SessionState, item_id: str, member_id: str,
                corrected: set[str] | None = None) -> tuple[str, str]:
    """(answer, note) markup for a row of the call list; pass ``corrected`` when drawing many rows."""
    answer, source = state.position(item_id, member_id)
    if source == "recorded":
        if corrected is None:
            corrected = corrected_members(state, item_id)
        return ANSWER_STYLE[answer], "corrected" if member_id in corrected else ""
    if source == "letter":
        return f"[i]{figures.ANSWER_LABEL[answer]}[/]", "[i $primary]letter ✉[/]"
    if source == "no_letter_position":
        # Short enough for the Note column's room at 80 columns (widgets/names.py, ROW_REST).
        return "[i]not voting[/]", "[i $primary]✉ no position[/]"
    status = state.items[item_id].status
    if not state.is_present(member_id):
        return "[dim]—[/]", "[dim]absent[/]"
    if status == "open":
        return "[dim]·[/]", "[b $primary]to call[/]"
    if status == "closed":  # never called before the close: counted as not voting (docs/rules.md,
        return "[i]not voting[/]", "[dim]not called[/]"  # "Closing a vote"), and the row says so too
    return "[dim]—[/]", ""


class RollCallScreen(Screen):
    CSS_PATH = "roll_call.tcss"
    # One entry per press: a held key's auto-repeat is ignored (ClerkApp, key_repeat.py).
    ONE_PER_PRESS = frozenset({"y", "n", "a", "x", "backspace"})
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("y", "vote('yes')", "Yes"),
        Binding("n", "vote('no')", "No"),
        Binding("a", "vote('abstain')", "Abstain"),
        Binding("x", "vote('not_voting')", "Not voting"),
        Binding("backspace", "undo", "Undo"),
        Binding("c", "close_vote", "Close vote"),
        # Only while a correction waits (check_action): enter records it, esc drops it. A letter
        # member's answer in the room is no correction: its own words in the footer, the same action.
        Binding("enter", "confirm_correction", "Record correction", priority=True),
        Binding("enter", "confirm_in_room", "Record answer in the room", priority=True),
        Binding("escape", "cancel_correction", "Cancel"),
        # Out of the footer so that the answer keys and help fit at 80 columns (F1 and ctrl+p list them):
        Binding("home", "to_next", "Back to the member called", priority=True, show=False),
        # the app's screen keys, hidden here only (a screen's binding overrides the app's for its key).
        Binding("f2,g", "app.goto('agenda')", "Agenda", show=False),
        Binding("f3,t", "app.goto('attendance')", "Attend.", show=False),
        Binding("f4,l", "app.goto('letters')", "Letters", show=False),
        Binding("f5,r", "app.roll_call", "Roll call", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.item_id: str | None = None
        self.order: list[str] = []
        self.cursor = RollCallCursor()  # who is called, the row selected, a correction waiting
        self._index: dict[str, int] = {}  # member -> row
        self._cells: dict[str, tuple[str, str]] = {}  # member -> (answer, note) markup on screen
        self._corrected: set[str] = set()
        self._seen: tuple[int, int] = (0, -1)  # (id of the state, last seq) the rows were drawn from
        self._placing = False  # the cursor is being moved by the screen, not by the clerk
        self._footer_state: tuple[bool, bool] | None = None  # (can record, correction waiting) last shown
        self._history_shown: tuple[int, int] | None = None
        self._name_cells: int | None = None  # the Member column's width the rows were drawn for
        # The item as the view model gives it (the chair's and the board's own objects): every
        # figure, verdict and rule this screen shows is read from it, never counted here.
        self.picture: VotePanel | AgendaLine | None = None

    # The cursor's three facts, read and set by name across the screen.
    @property
    def now(self) -> str | None:
        return self.cursor.now

    @now.setter
    def now(self, member_id: str | None) -> None:
        self.cursor.now = member_id

    @property
    def selected(self) -> str | None:
        return self.cursor.selected

    @selected.setter
    def selected(self, member_id: str | None) -> None:
        self.cursor.selected = member_id

    @property
    def pending(self):
        return self.cursor.pending

    @pending.setter
    def pending(self, correction) -> None:
        self.cursor.pending = correction

    def compose(self) -> ComposeResult:
        # The width's class from the start, as Textual sets it on the first resize: the first layout
        # is then the one shown, rather than the wide one styled, laid out and drawn, then all of it
        # again (bench/RESULTS.md, start-up).
        width = self.app.size.width
        shown = max((start, name) for start, name in self.HORIZONTAL_BREAKPOINTS if width >= start)[1]
        for _, name in self.HORIZONTAL_BREAKPOINTS:
            self.set_class(name == shown, name)
        yield Static(id="item-title")
        yield ItemIndicators()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static(id="now")
                yield CallList(CALL_COLUMNS, id="calls")
            with Vertical(id="side"):
                yield Static(id="record")
                yield Static(LEGEND, id="legend")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.watch(self.query_one(CallList), "cursor_row", self._cursor_moved, init=False)
        self._draw()

    def on_screen_resume(self) -> None:
        self.pending = None
        self.selected = None  # back from another screen: the cursor is home
        self._draw()

    # ------------------------------------------------------------- drawing
    def can_record(self) -> bool:
        """An answer may be recorded here: the vote is open, the session too, and the seat records."""
        app = self.app
        state = app.state
        return (self.item_id is not None and state.items[self.item_id].status == "open" and not state.closed
                and app.stopped is None)

    def refresh_view(self) -> None:
        """Redraw from the state (after every intent, and when another seat's events are folded in)."""
        if self.is_mounted:
            self._draw()

    def _draw(self) -> None:
        app = self.app
        state: SessionState = app.state
        item_id = app.item_id
        if item_id is None or state.items[item_id].item.kind != "decision":
            item_id = state.open_item
        if item_id is None:
            self._show_nothing(state)
            return
        self.picture = item_panel(state, item_id)
        changed = self._changed_members(state, item_id)
        if changed is None:
            self._draw_all(state, item_id)
        elif changed:
            self._draw_rows(state, item_id, changed)
        self._seen = (id(state), state.last_seq)
        # The member being called as the chair and the board show it (``SessionState.now_calling``).
        p = self.picture
        self.now = p.calling_member.member_id if isinstance(p, VotePanel) and p.calling_member else None
        self.query_one(ItemIndicators).picture = p
        if self.cursor.stale(state, item_id, self.can_record()):
            app.notify("The row changed meanwhile (another seat, or the vote closed): "
                       "the correction was not recorded.", severity="warning", timeout=6)
        if self.selected is None and self.pending is None:
            self._go_home()
        self._sync_footer()
        self._show_current()
        self._show_record(state, item_id)

    def _changed_members(self, state: SessionState, item_id: str) -> list[str] | None:
        """Members whose row changed since the last redraw, when only answers on this item were
        recorded since (the usual key); None when anything else happened: then every row is drawn."""
        state_id, seen_seq = self._seen
        if item_id != self.item_id or state_id != id(state):
            return None
        if state.last_seq == seen_seq:
            return []
        new = []
        for entry in reversed(state.items[item_id].history):
            if entry.seq <= seen_seq:
                break
            new.append(entry)
        if len(new) != state.last_seq - seen_seq:
            return None  # attendance, a letter, a close...: rows may change everywhere
        if any(e.kind == "corrected" for e in new):
            self._corrected = corrected_members(state, item_id)  # an undo may take a label away
        return list(dict.fromkeys(e.member_id for e in reversed(new)))

    def _draw_all(self, state: SessionState, item_id: str) -> None:
        order = state.call_list(item_id)
        table = self.query_one(CallList)
        paint = Painter.of(self.app)
        self._corrected = corrected_members(state, item_id)
        keep = self.selected if item_id == self.item_id else None
        cells = roll_call_budget(self.app.size.width)
        if order != self.order or item_id != self.item_id or cells != self._name_cells:
            self._placing = True  # new rows move the cursor: not the clerk's doing
            try:
                self._cells = {}
                rows = []
                for n, member_id in enumerate(order, start=1):
                    m = state.members[member_id]
                    answer, note = self._cells[member_id] = answer_cell(state, item_id, member_id, self._corrected)
                    # Names and countries are data: plain Text cells, never parsed as markup.
                    rows.append((member_id, (cell(n), name_cell(m, cells), cell(m.country), paint(answer), paint(note))))
                table.set_rows(rows)
            finally:
                self._placing = False
            self.order = order
            self._name_cells = cells
            self._index = {m: i for i, m in enumerate(order)}
            if keep not in self._index:
                self.selected = self.pending = None
            elif keep is not None:
                self._place(keep)
        else:
            self._draw_rows(state, item_id, order)
        if item_id != self.item_id:
            self.selected = self.pending = None
        self.item_id = item_id
        self._show_title(state, item_id)

    def _draw_rows(self, state: SessionState, item_id: str, members: list[str]) -> None:
        """Redraw the rows of ``members`` whose cells changed (the list renders only those rows again)."""
        paint = Painter.of(self.app)
        changed = {}
        for member_id in members:
            if member_id not in self._index:
                continue
            cells = answer_cell(state, item_id, member_id, self._corrected)
            if cells != self._cells.get(member_id):
                changed[member_id] = self._cells[member_id] = cells
        self.query_one(CallList).update_rows({m: {"answer": paint(a), "note": paint(n)}
                                              for m, (a, n) in changed.items()})

    def _show_nothing(self, state: SessionState) -> None:
        self.item_id = None  # before clearing the table: its cursor watcher reads it
        self._placing = True
        try:
            self.query_one(CallList).clear()
        finally:
            self._placing = False
        show(self.query_one("#item-title", Static), "No roll call: open a decision item from the agenda (F2).")
        chosen = self.app.item_id
        self.picture = None
        self.query_one(ItemIndicators).picture = item_panel(state, chosen) if chosen is not None else session_now(state)
        show(self.query_one("#now", Static), "")
        self.order, self._index, self._cells = [], {}, {}
        self.now = self.selected = self.pending = None
        self._seen = (0, -1)
        self._sync_footer()

    def _show_title(self, state: SessionState, item_id: str) -> None:
        item = state.items[item_id]
        rule = figures.item_rule_label(state, item_id)
        values = {"item": item_id, "title": item.item.title, "article": item.item.article or "—"}
        lot = item_id in state.draws
        if item.order == "roster":
            ways = ["roster order"]
        elif item.start:
            values["start"] = full_name(state.members[item.start])
            values["start_name"] = state.members[item.start].name
            # Longest first: the first that leaves the title its room (the list shows who starts; the
            # log and the minutes keep the draw, so the lot gives way last, before the title).
            ways = ["alphabetical from $start" + (" (drawn by lot)" if lot else ""),
                    "alphabetical from $start_name" + (" (by lot)" if lot else ""),
                    "alphabetical" + (" (drawn by lot)" if lot else ""),
                    "alphabetical" + (" (by lot)" if lot else ""),
                    "alphabetical"]
        else:
            ways = ["alphabetical"]
        closed = "[bold reverse $error] SESSION CLOSED [/] " if state.closed else ""
        # One line: the title gives way (cut with "…", whole on the agenda) so that the rule and the
        # call order stay in view at 80 columns, but keeps TITLE_ROOM cells: the call order says less
        # first. The line's padding takes 2 cells.
        for how in ways:
            template = f"{closed}[b]Item $item[/] · $title · Art. $article · [b]{rule}[/] · {how}"
            room = self.app.size.width - 2 - content(template, **{**values, "title": ""}).cell_length
            if room >= min(TITLE_ROOM, content("$t", t=values["title"]).cell_length):
                break
        values["title"] = shorten(values["title"], room)
        show(self.query_one("#item-title", Static), template, **values)

    def _show_current(self) -> None:
        """The panel above the list: the member called, the row selected, a correction, or the result."""
        if self.item_id is None:
            return
        state = self.app.state
        now = self.query_one("#now", Static)
        item = state.items[self.item_id]
        narrow = self.app.size.width < NARROW
        p = self.picture
        if item.status == "closed" and isinstance(p, VotePanel):
            now.set_class(True, "closed")
            show(now, "VOTE CLOSED " + verdict_template(p.outcome_tone) + "\n$reason\n"
                      f"yes {p.yes} · no {p.no} · abstain {p.abstain} · not voting {p.not_voting}",
                 verdict=p.outcome, reason=p.outcome_reason)
            return
        now.set_class(False, "closed")
        if item.status != "open" and state.closed:
            show(now, "Not taken up: the session closed before this vote was opened.")
            return
        if item.status != "open":
            show(now, "The vote on this item is not open: enter on the agenda (F2) opens it.")
            return
        # How far the call has gone, counted once for every seat (``SessionState.call_progress``).
        answered, present = (p.answered, p.present) if isinstance(p, VotePanel) else (0, 0)
        if self.pending is not None:
            p = self.pending
            m = state.members[p.member_id]
            if p.in_room:
                # Its answer in the room: recorded present first, the letter set aside (docs/decisions.md).
                letter = said(p.shown[0]) if p.shown[1] == "letter" else "no position"
                show(now, "[b reverse $warning] IN THE ROOM [/] [b]enter[/] records it · [b]esc[/] cancels\n"
                          f"[b]$name[/]\nmarked present, its letter ({letter}) set aside → now [b]{said(p.vote)}[/]",
                     name=full_name(m))
                return
            show(now, "[b reverse $warning] CORRECTION [/] [b]enter[/] records it · [b]esc[/] cancels\n[b]$name[/]\n"
                      f"was [b]{p.was}[/] → now [b]{said(p.vote)}[/]", name=full_name(m))
            return
        member_id = self.now if self.selected is None else self.selected
        if member_id is None:
            # With nobody present (letters only) "every present member" would be true of nobody.
            heading = (f"[b]EVERY PRESENT MEMBER HAS ANSWERED[/] ({answered} of {present})" if present else
                       "[b]NO MEMBER PRESENT TO CALL[/]")
            show(now, f"{heading}\n↑/↓ selects a row to correct\n[b]c[/] closes the vote")
            return
        m = state.members[member_id]
        answer, source = state.position(self.item_id, member_id)
        if self.selected is None:
            heading = f"NOW CALLING · {answered} of {present} present answered"
        elif source == "uncalled" and state.is_present(member_id):
            heading = "SELECTED · y n a x: answer out of order" + ("" if narrow else " · home: back to the call")
        elif source == "uncalled":
            heading = "SELECTED · absent: not called" + ("" if narrow else " · home: back to the call")
        elif source == "recorded":
            heading = "SELECTED · y n a x: correct it" + ("" if narrow else " · home: back to the call")
        else:
            heading = "SELECTED · y n a x: answer in person" + ("" if narrow else " · home: back to the call")
        if source == "recorded":
            so_far = f"answered [b]{said(answer)}[/]"
        elif source == "letter":
            so_far = f"letter says [b]{said(answer)}[/]"
        elif source == "no_letter_position":
            so_far = "letter does not cover this item"
        else:
            so_far = "present" if state.is_present(member_id) else "absent: not called"
        country = figures.COUNTRY_NAME.get(m.country, m.country)
        show(now, f"{heading}\n[b]$name[/]\n$country · {figures.attendance_label(state, m)} · {so_far}",
             name=full_name(m), country=country)

    def _show_record(self, state: SessionState, item_id: str) -> None:
        """The latest entries, newest first: drawn only where the panel shows (wide screens)."""
        panel = self.query_one("#record", Static)
        history = state.items[item_id].history
        key = (id(history), len(history))
        if not self.has_class("-wide") or self._history_shown == key:
            return
        self._history_shown = key
        lines, values = ["[b]Record[/] (latest first, times UTC)"], {}  # the log keeps UTC: say so
        for i, h in enumerate(reversed(history[-HISTORY_LINES:])):
            values[f"n{i}"] = full_name(state.members[h.member_id])
            when, vote = h.recorded_at[11:19], said(h.vote)
            if h.undo_of:
                lines.append(f"{when} [b $warning]undo[/] $n{i} → {vote}")
            elif h.kind == "corrected":
                lines.append(f"{when} [b $warning]corr.[/] $n{i} → {vote}")
            else:
                lines.append(f"{when} $n{i}: {vote}")
        show(panel, "\n".join(lines), **values)  # its height is fixed in the CSS

    def on_resize(self) -> None:
        self._history_shown = None  # the record panel may have just appeared
        if self.item_id is not None and roll_call_budget(self.app.size.width) != self._name_cells:
            self._seen = (0, -1)  # the Member column changes width: every row is drawn again
            self._draw()
        if self.item_id is not None:
            self._show_title(self.app.state, self.item_id)  # the title is cut to the width
            self._show_record(self.app.state, self.item_id)
            self._show_current()
        # Below 70 columns the answer keys alone fill the footer: F1 and ctrl+p still work, unlisted.
        self.query_one(Footer).show_command_palette = self.app.size.width >= NARROW
        self.refresh_bindings()

    @property
    def active_bindings(self):
        bindings = super().active_bindings
        if self.can_record():
            if self.app.size.width < NARROW:  # the answer keys fill the footer
                bindings.pop("f1", None)
                bindings.pop("question_mark", None)
        elif (agenda := bindings.get("f2")) is not None:
            # No answer key to show (a closed vote, a vote not open, a closed session): the footer's
            # room goes to the way back to the agenda, hidden while the answer keys need it.
            bindings["f2"] = agenda._replace(binding=replace(agenda.binding, show=True))
        return bindings

    def _sync_footer(self) -> None:
        can = (self.can_record(), None if self.pending is None else self.pending.in_room)
        if can != self._footer_state:
            self._footer_state = can
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A closed roll call (or session) offers no recording key; a waiting correction offers enter and esc.
        if action in ("vote", "undo", "close_vote", "to_next"):
            return self.can_record() and self.pending is None
        if action == "cancel_correction":
            return self.pending is not None
        if action in ("confirm_correction", "confirm_in_room"):
            return self.pending is not None and self.pending.in_room == (action == "confirm_in_room")
        return True

    # --------------------------------------------------------------- cursor
    def current_member(self) -> str | None:
        return self.query_one(CallList).cursor_key

    def _place(self, member_id: str) -> None:
        """Put the cursor on a member's row (the screen's move, not a selection by the clerk)."""
        row = self._index.get(member_id)
        if row is None:
            return
        self._placing = True
        try:
            # CallList scrolls it to a third of the way down, so the next members show below it.
            self.query_one(CallList).move_cursor(row)
        finally:
            self._placing = False

    def _go_home(self) -> None:
        """The cursor back on the member being called; with nobody left to call it stays where it is."""
        self.cursor.home()
        if self.now is not None:
            self._place(self.now)

    def _cursor_moved(self) -> None:
        # A watcher, not the RowHighlighted message: the panel changes in the same frame as the cursor.
        if self._placing or self.item_id is None:
            return
        dropped = self.cursor.moved_to(self.current_member())
        if dropped is not None:
            self._said_cancelled(dropped)
        self._show_current()

    # -------------------------------------------------------------- actions
    def on_key(self, event: events.Key) -> None:
        # Runs before the screen's and the table's own keys (not the priority ones: enter, home).
        if self.pending is not None and event.key != "enter":
            self._cancel_correction()
            if event.key not in MOVES:  # a move also moves; any other key only cancels (backspace undoes nothing)
                event.stop()
                event.prevent_default()
            return
        if event.key in ("up", "down") and self._selects_in_place(event.key):
            return
        if event.key in RECORDING_KEYS and self.item_id is not None and not self.can_record():
            event.stop()
            event.prevent_default()
            # One short line: a stopped seat's banner already says why at length, on every screen.
            app = self.app
            if app.stopped is not None:
                why = "this seat has stopped recording (see the banner)"
            elif app.state.closed:
                why = "the session is closed"
            elif app.state.items[self.item_id].status == "closed":
                why = f"the vote on item {self.item_id} is closed"
            else:
                why = f"the vote on item {self.item_id} is not open"
            app.notify(f"Nothing recorded: {why}.", severity="warning", timeout=4)

    def _selects_in_place(self, key: str) -> bool:
        """↑ on the first row or ↓ on the last, with nobody left to call and no row chosen: the row the
        cursor stands on becomes the chosen one, as a move onto it would have made it. Without this the
        highlighted row (where a restart leaves the cursor) could not be chosen by ↑ or ↓, though the
        screen says "↑/↓ selects a row to correct"; the move itself stays the list's (it goes nowhere)."""
        if self.item_id is None or self.now is not None or self.selected is not None:
            return False
        table = self.query_one(CallList)
        edge = 0 if key == "up" else table.row_count - 1
        if table.row_count == 0 or table.cursor_row != edge:
            return False
        self._cursor_moved()
        return True

    def action_vote(self, vote: str) -> None:
        if not self.can_record() or self.pending is not None:
            return
        meaning = self.cursor.vote_key(self.app.state, self.item_id, vote)  # names its member now
        if isinstance(meaning, NobodyLeft):
            _answered, present = self.app.state.call_progress(self.item_id)
            self.app.notify(ALL_ANSWERED if present else NOBODY_PRESENT, title="Nothing recorded", timeout=5)
            self._show_current()
        elif isinstance(meaning, Answer):
            self._answer(meaning.member_id, meaning.vote, meaning.expected)
        elif isinstance(meaning, Unchanged):
            name = full_name(self.app.state.members[meaning.member_id])
            self.app.notify(f"{name} is already {said(meaning.vote)}: nothing to correct.",
                            title="Nothing recorded", timeout=5)
        else:  # a correction proposed: shown, recorded only on enter
            self._sync_footer()
            self._show_current()

    def _answer(self, member_id: str, vote: str, expected: str | None = None,
                then: Callable[[bool], object] | None = None) -> None:
        """Record an answer for ``member_id``, the member the key was pressed for, whose row showed
        ``expected`` (None: not called yet). Recorded for that member or not at all: if another seat
        answered for them meanwhile, the core refuses it. Once recorded the cursor goes home."""
        app = self.app

        def done(recorded: bool) -> None:
            if recorded:
                self._go_home()
            self._sync_footer()
            self._show_current()
            if then is not None:
                then(recorded)
        app.record(app.session.record_vote, self.item_id, member_id, vote, expected, then=done)

    def action_confirm_correction(self) -> None:
        p = self.pending
        answer = self.cursor.confirm()
        if p is None or answer is None:
            return
        name = full_name(self.app.state.members[p.member_id])
        in_room = p.in_room

        def said_done(ok: bool) -> None:
            if not ok:
                return
            if in_room:
                # docs/decisions.md, "Written decision letters": answering in the room is attending.
                self.app.notify(f"{name} answered in the room: marked present in person, its letter set aside "
                                f"— now {said(p.vote)}.", timeout=6)
            else:
                self.app.notify(f"Corrected: {name} was {p.was} → now {said(p.vote)}.", timeout=5)
        self._answer(answer.member_id, answer.vote, answer.expected, then=said_done)

    def action_confirm_in_room(self) -> None:
        self.action_confirm_correction()

    def action_cancel_correction(self) -> None:
        self._cancel_correction()

    def _cancel_correction(self) -> None:
        dropped = self.pending
        if dropped is None:
            return
        self.pending = None
        self._said_cancelled(dropped)

    def _said_cancelled(self, dropped: Correction) -> None:
        what = "Answer in the room" if dropped.in_room else "Correction"
        self.app.notify(f"{what} cancelled: nothing recorded.", timeout=3)
        self._sync_footer()
        self._show_current()

    def action_undo(self) -> None:
        """Undo the latest entry; when the latest entry is itself an undo, ask first (one per press)."""
        if not self.can_record():
            return
        state = self.app.state
        history = state.items[self.item_id].history
        if history and history[-1].undo_of:
            target = undo_target(state, self.item_id)
            if target is None:
                self.app.notify("Nothing left to undo on this item.", severity="warning", timeout=4)
                return
            from .dialogs import UndoAgainDialog  # loaded on first use: not needed for the first frame

            member, item_id = target.member_id, self.item_id
            back = said(target.before)
            if undo_in_room(state, target):  # the undo gives the member its letter back: say its answer
                back = f"{said(state.letters[member].positions.get(item_id, 'not_voting'))} (letter)"
            self.app.push_screen(UndoAgainDialog(full_name(state.members[member]), said(target.vote), back),
                                 lambda ok: ok and self._undo(item_id))
            return
        self._undo(self.item_id)

    def _undo(self, item_id: str) -> None:
        app = self.app

        def done(recorded: bool) -> None:
            if not recorded:
                return
            state = app.state
            history = state.items[item_id].history
            undo = history[-1]
            undone = next(h for h in reversed(history) if h.seq == undo.undo_of)
            name = full_name(state.members[undo.member_id])
            answer, source = state.position(item_id, undo.member_id)
            if source in ("letter", "no_letter_position"):
                # An answer in the room undone: the member is absent again and its letter counts again.
                app.notify(f"Undone: {name} was {said(undone.vote)} → back to {said(answer)} (letter): "
                           "absent again, its letter counted again.", timeout=6)
            else:
                app.notify(f"Undone: {name} was {said(undone.vote)} → back to {said(undo.vote)}.", timeout=5)
            self._go_home()
            self._show_current()
        app.record(app.session.undo_last, item_id, then=done)

    def action_to_next(self) -> None:
        if self.item_id is not None:
            if self.pending is not None:
                self._cancel_correction()
            self._go_home()
            self._show_current()

    def action_close_vote(self) -> None:
        """Open the close dialog; the vote is closed there only by typing the item number."""
        if not self.can_record():
            return
        from .close_vote_dialog import CloseVoteDialog  # loaded on first use: not needed for the first frame

        item_id = self.item_id
        self.app.push_screen(CloseVoteDialog(item_id), lambda shown: self._close(item_id, shown))

    def _close(self, item_id: str, shown: Tally | None) -> None:
        """Close the vote with the tally the dialog showed; the session refuses it if the votes changed."""
        if shown is None:
            return
        app = self.app

        def done(recorded: bool) -> None:
            if recorded:
                self._announce_close(item_id)
                return
            if app.stopped is None and app.state.items[item_id].status == "open":
                self.action_close_vote()  # the dialog again, with the figures as they are now
        app.record(app.session.close_vote, item_id, shown, then=done)

    def _announce_close(self, item_id: str) -> None:
        """The outcome in a toast, in the words the chair and the board show (the view model's):
        the verdict, the figures, the reason and any member the vote admitted."""
        p = vote_panel(self.app.state, item_id)
        self.app.notify(f"Item {item_id} closed: {p.outcome} ({p.yes}–{p.no}–{p.abstain}). {p.outcome_note}.",
                        title="Vote closed", timeout=10)

    def palette_commands(self):
        from textual.app import SystemCommand
        if not self.can_record():
            return
        yield SystemCommand("Close the vote", "Type the item number to close this roll call (c)",
                            self.action_close_vote)
        yield SystemCommand("Undo last entry", "Undo the latest answer as a correction (backspace)", self.action_undo)
        yield SystemCommand("Back to the member called", "The cursor back on the member being called (home)",
                            self.action_to_next)
