"""Roll call of one decision item: one key per answer, the cursor on the member being called.

The table's cursor is "the member the clerk is calling". y/n/a/x record that
member's answer and move to the next member to call (members with a letter in
effect, and absent ones, are passed over unless the clerk moves onto them);
an answer on a member that already has one is a correction. backspace undoes
the latest entry (a correction event). c closes the vote after confirmation.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...state import SessionState
from ...verdict import needed_of
from .. import figures
from ..widgets.call_list import CallList
from ..widgets.cells import Painter
from ..widgets.indicators import ItemIndicators
from ..widgets.text import show

VOTE_KEYS = {"yes": "y", "no": "n", "abstain": "a", "not_voting": "x"}
ANSWER_STYLE = {"yes": "[b $success]YES[/]", "no": "[b $error]NO[/]", "abstain": "[b]ABSTAIN[/]",
                "not_voting": "[b]NOT VOTING[/]"}


def corrected_members(state: SessionState, item_id: str) -> set[str]:
    """Members whose entry on the item was corrected at least once."""
    return {h.member_id for h in state.items[item_id].history if h.kind == "corrected"}


def answer_cell(state: SessionState, item_id: str, member_id: str,
                corrected: set[str] | None = None) -> tuple[str, str]:
    """(answer, note) for a row of the call list; pass ``corrected`` when drawing many rows."""
    answer, source = state.position(item_id, member_id)
    if source == "recorded":
        if corrected is None:
            corrected = corrected_members(state, item_id)
        return ANSWER_STYLE[answer], "corrected" if member_id in corrected else ""
    if source == "letter":
        return f"[i]{answer.upper().replace('_', ' ')}[/]", "[i $primary]letter ✉[/]"
    if source == "no_letter_position":
        return "[i]not voting[/]", "[i $primary]letter, item not covered[/]"
    if state.is_present(member_id):
        return "[dim]·[/]", "[b $primary]to call[/]" if state.items[item_id].status == "open" else ""
    return "[dim]—[/]", "[dim]absent[/]"


class RollCallScreen(Screen):
    CSS_PATH = "roll_call.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("y", "vote('yes')", "Yes"),
        Binding("n", "vote('no')", "No"),
        Binding("a", "vote('abstain')", "Abstain"),
        Binding("x", "vote('not_voting')", "Not voting"),
        Binding("backspace", "undo", "Undo"),
        Binding("c", "close_vote", "Close vote"),
        # Out of the footer so that the answer keys and help fit at 80 columns (F1 and ctrl+p list them):
        Binding("home", "to_next", "Next member", priority=True, show=False),
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
        self._table_item: str | None = None  # the item whose rows the table holds
        self._cells: dict[str, tuple[str, str]] = {}  # member -> (answer, note) markup on screen

    def compose(self) -> ComposeResult:
        yield Static(id="item-title")
        yield ItemIndicators()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static(id="now")
                yield CallList(id="calls", cursor_type="row")
            yield Static(id="record")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="n")
        table.add_column("Member", key="name")
        table.add_column("Ctry", key="country")
        table.add_column("Answer", key="answer")
        table.add_column("Note", key="note")
        self.watch(table, "cursor_coordinate", self._cursor_moved, init=False)
        self.refresh_view(jump=True)

    def on_screen_resume(self) -> None:
        self.refresh_view(jump=True)

    # ------------------------------------------------------------- drawing
    def refresh_view(self, jump: bool = False) -> None:
        if not self.is_mounted:
            return
        app = self.app
        state: SessionState = app.state
        item_id = app.item_id
        if item_id is None or state.items[item_id].item.kind != "decision":
            item_id = state.open_item
        if item_id is None:
            self.item_id = None  # before clearing the table: its cursor watcher reads it
            self.query_one(DataTable).clear()
            show(self.query_one("#item-title", Static), "No roll call: open a decision item from the agenda (F2).")
            self.query_one(ItemIndicators).show_item(state, app.item_id)
            show(self.query_one("#now", Static), "")
            self.order = []
            self._table_item = None
            self._cells = {}
            return
        item = state.items[item_id]
        if item_id != self.item_id:
            jump = True
        self.item_id = item_id
        # A member admitted by this very vote was not called on it.
        order = [m for m in state.call_order(item_id) if state.admitted.get(m) != item_id]
        table = self.query_one(CallList)
        paint = Painter.of(app)
        corrected = corrected_members(state, item_id)
        if order != self.order or item_id != self._table_item:
            table.clear()
            self._cells = {}
            for n, member_id in enumerate(order, start=1):
                m = state.members[member_id]
                cells = self._cells[member_id] = answer_cell(state, item_id, member_id, corrected)
                table.add_row(str(n), m.name, m.country, paint(cells[0]), paint(cells[1]), key=member_id)
            self.order = order
            self._table_item = item_id
        else:
            # Only the rows whose answer or note changed (usually the one just answered): each
            # table update invalidates the table's render caches, so unchanged rows are left alone.
            changed = {}
            for member_id in order:
                cells = answer_cell(state, item_id, member_id, corrected)
                if cells != self._cells.get(member_id):
                    changed[member_id] = self._cells[member_id] = cells
            table.update_rows({m: {"answer": paint(a), "note": paint(n)} for m, (a, n) in changed.items()})
        rule = figures.RULE_LABEL[figures.item_rule(state, item_id)]
        how = "roster order" if item.order == "roster" else \
            f"alphabetical from {state.members[item.start].name}" + (" (drawn by lot)" if item_id in state.draws else "") \
            if item.start else "alphabetical"
        closed = "[bold reverse $error] SESSION CLOSED [/] " if state.closed else ""
        show(self.query_one("#item-title", Static),
             f"{closed}[b]Item {item_id}[/] · {item.item.title} · Art. {item.item.article} · [b]{rule}[/] · {how}")
        self.query_one(ItemIndicators).show_item(state, item_id, state.tally(item_id))
        if jump:
            self.move_to(figures.next_member(state, item_id))
        self._show_current()
        self._show_record(state, item_id)

    def _show_current(self) -> None:
        state = self.app.state
        now = self.query_one("#now", Static)
        item = state.items[self.item_id]
        if item.status == "closed":
            t = state.tally(self.item_id)
            now.set_class(True, "closed")
            show(now, f"VOTE CLOSED: {t.outcome.replace('_', ' ').upper()}\n"
                       f"yes {t.yes} · no {t.no} · abstain {t.abstain} · needed {t.required_yes}")
            return
        now.set_class(False, "closed")
        member_id = self.current_member()
        called, present = figures.called_count(state, self.item_id)
        if member_id is None:
            show(now, "")
            return
        m = state.members[member_id]
        answer, source = state.position(self.item_id, member_id)
        if source == "uncalled" and state.is_present(member_id):
            heading = f"NOW CALLING · {called} of {present} present answered"
        elif figures.next_member(state, self.item_id) is None:
            heading = f"ALL {present} PRESENT MEMBERS CALLED · c closes the vote"
        else:
            heading = "SELECTED · a key corrects this entry · home: back to the next member"
        said = (answer or "").upper().replace("_", " ")
        if source == "recorded":
            so_far = f"answered [b]{said}[/]"
        elif source == "letter":
            so_far = f"letter says [b]{said}[/]"
        elif source == "no_letter_position":
            so_far = "letter does not cover this item"
        else:
            so_far = "present" if state.is_present(member_id) else "absent: not called"
        country = figures.COUNTRY_NAME.get(m.country, m.country)
        show(now, f"{heading}\n[b]{m.name.upper()}[/]\n{country} · {figures.attendance_label(state, m)} · {so_far}")

    def _show_record(self, state: SessionState, item_id: str) -> None:
        lines = ["[b]Record[/] (latest first)"]
        for h in reversed(state.items[item_id].history[-40:]):
            name = state.members[h.member_id].name
            when = h.recorded_at[11:19]
            vote = (h.vote or "not called").upper().replace("_", " ")
            if h.undo_of:
                lines.append(f"{when} [b $warning]undo[/] {name} → {vote}")
            elif h.kind == "corrected":
                lines.append(f"{when} [b $warning]corr.[/] {name} → {vote}")
            else:
                lines.append(f"{when} {name}: {vote}")
        show(self.query_one("#record", Static), "\n".join(lines))  # its height is fixed in the CSS

    # --------------------------------------------------------------- cursor
    def current_member(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def move_to(self, member_id: str | None) -> None:
        if member_id is not None and member_id in self.order:
            table = self.query_one(DataTable)
            row = self.order.index(member_id)
            # CallList scrolls it to a third of the way down, so the next members show below it.
            table.move_cursor(row=row, animate=False)

    def _cursor_moved(self) -> None:
        # A watcher, not the RowHighlighted message: the panel changes in the same frame as the cursor.
        if self.item_id is not None:
            self._show_current()

    # -------------------------------------------------------------- actions
    def action_vote(self, vote: str) -> None:
        member_id = self.current_member()
        if self.item_id is None or member_id is None:
            return
        app = self.app
        if app.record(app.session.record_vote, self.item_id, member_id, vote):
            self.move_to(figures.next_member(app.state, self.item_id) or member_id)
            self._show_current()

    def action_undo(self) -> None:
        if self.item_id is None:
            return
        app = self.app
        if app.record(app.session.undo_last, self.item_id):
            state = app.state
            member_id = state.items[self.item_id].history[-1].member_id
            undone_to_uncalled = state.position(self.item_id, member_id)[1] == "uncalled"
            self.move_to(member_id if undone_to_uncalled else figures.next_member(state, self.item_id))
            name = state.members[member_id].name
            app.notify(f"Undone: {name} is " + ("to be called again." if undone_to_uncalled else "back to its previous answer."),
                       timeout=4)
            self._show_current()

    def action_to_next(self) -> None:
        if self.item_id is not None:
            self.move_to(figures.next_member(self.app.state, self.item_id))

    def action_close_vote(self) -> None:
        if self.item_id is None:
            return
        app = self.app
        state = app.state
        item_id = self.item_id
        if state.items[item_id].status != "open":
            app.notify(f"The vote on item {item_id} is not open.", severity="warning")
            return
        t = state.tally(item_id)
        carried = state.closing_tally(item_id).outcome == "carried"  # the core's verdict, whatever the rule
        body = (f"Yes {t.yes} · No {t.no} · Abstain {t.abstain} · Not voting {t.not_voting}"
                f" · Uncalled {t.uncalled}\n"
                f"{figures.RULE_LABEL[t.rule]}: {t.required_yes} yes needed {needed_of(t)} · quorum "
                f"{t.participating}/{t.quorum_required} of {t.quorum_base}\n"
                f"Result if closed now: [b]{'CARRIED' if carried else 'NOT CARRIED'}[/]")
        if t.uncalled:
            body += f"\n[b $warning]{t.uncalled} present member(s) not called yet: they will count as not voting.[/]"
        admits = [m for m in state.items[item_id].item.admits if state.members[m].status == "applicant"]
        if admits and carried:
            body += "\nAdmits: " + ", ".join(state.members[m].name for m in admits)

        def closed(ok: bool) -> None:
            if not ok or not app.record(app.session.close_vote, item_id):
                return
            after = app.state
            final = after.tally(item_id)
            message = f"Item {item_id} closed: {final.outcome.replace('_', ' ')} ({final.yes}–{final.no}–{final.abstain})."
            joined = [m for m, by in after.admitted.items() if by == item_id]
            if joined:
                message += (" Admitted: " + ", ".join(after.members[m].name for m in joined)
                            + f". The roster now has {len(after.roster_members())} members.")
            app.notify(message, title="Vote closed", timeout=10)

        from .dialogs import ConfirmDialog  # loaded on first use: not needed for the first frame

        app.push_screen(ConfirmDialog(f"Close the vote on item {item_id}?", body, "close the vote"), closed)

    def palette_commands(self):
        from textual.app import SystemCommand
        yield SystemCommand("Close the vote", "Close this roll call after confirmation (c)", self.action_close_vote)
        yield SystemCommand("Undo last entry", "Undo the latest answer as a correction (backspace)", self.action_undo)
        yield SystemCommand("Next member", "Move back to the next member to call (home)", self.action_to_next)
