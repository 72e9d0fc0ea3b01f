"""Letters: record, see and withdraw written decision letters; superseded letters stand out."""

from __future__ import annotations

import time

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from near_tui.ui.display_text import cell, content, show
from near_tui.views.view_model import session_now

from .. import figures
from ..widgets.cells import Painter
from ..widgets.indicators import SessionBar
from ..widgets.names import budget, full_name, name_cell
from .dialogs import ConfirmDialog
from .letter_dialog import LetterDialog
from .member_table import MemberListScreen

# The way out of a refusal, in the clerk's keys (the core's own words are for any surface).
REMEDY = {"present": "mark it absent on the attendance screen (F3, then 0) before recording a letter"}
# Seconds after the letter dialog closed during which enter does not open it again: enter saves the
# letter, and the same key pressed twice (or held) would otherwise open the dialog at once again.
AGAIN = 1.0
SCROLL_BAR = 2  # the list's vertical scroll bar, in cells


class LettersScreen(MemberListScreen):
    CSS_PATH = "letters.tcss"
    BINDINGS = [
        # Not priority: enter must come after the letters typed before it (see member_table.ListTable).
        Binding("enter", "edit_letter", "Record letter"),
        Binding("delete", "withdraw", "Withdraw"),
    ]
    SUMMARY_ID = "letters-summary"
    _dialog_closed = 0.0  # time.monotonic() when the letter dialog last closed
    # No column of the letter's state: the Attendance column says "by letter" while a letter is in
    # effect, a letter set aside is struck through, and the line under the list says it in words.
    # That leaves the Letter column room for the positions at 80 columns.
    COLUMNS = (("Ctry", "country"), ("Member", "name"), ("Attendance", "mode"), ("Letter", "positions"))

    def below_table(self) -> ComposeResult:
        yield Static(id="letter-detail", markup=False)

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        state = self.app.state
        self.query_one(SessionBar).now = session_now(state)
        in_effect = sum(1 for m in state.letters if state.letter_in_effect(m))
        show(self.query_one("#letters-summary", Static),
             "Letters on record: [b]$total[/] · in effect [b $primary]$in_effect[/]"
             " · superseded by attendance [b $warning]$superseded[/]",
             total=len(state.letters), in_effect=in_effect, superseded=len(state.letters) - in_effect)
        paint = Painter.of(self.app)
        cells = self.name_cells = budget(self.app.size.width)
        shown = [m for m in state.roster_members() if self.matches(m)]
        names = {m.id: name_cell(m, cells) for m in shown}
        modes = {m.id: figures.attendance_label(state, m) for m in shown}
        room = self._positions_room(names, modes)
        rows = []
        for m in shown:
            positions = figures.letter_summary(state, m.id, room)
            if positions and state.letter_in_effect(m.id) is None:
                positions = paint("[strike dim]$p[/]", p=positions)  # set aside: the line below says why
            else:
                positions = cell(positions)
            # How the member stands now: the same words as the attendance screen (SessionState.standing).
            rows.append((m.id, (cell(m.country), names[m.id], cell(modes[m.id]), positions)))
        self.fill(self.query_one(DataTable), rows)
        self.show_open_item(state)
        self._show_detail()

    def _positions_room(self, names: dict, modes: dict[str, str]) -> int:
        """Cells the Letter column may take without widening the table past the screen: the width
        less the other columns as drawn (each with a cell of padding either side) and the scroll bar.
        A DataTable's column never narrows once a wider cell was in it (a filter cleared again), so
        the width it already has counts too."""
        columns = self.query_one(DataTable).columns

        def column(key: str, label: str, values) -> int:
            held = columns[key].content_width if key in columns else 0
            return max([held, cell_len(label), *(cell_len(str(v)) for v in values)]) + 2
        others = (column("country", "Ctry", ["XX"]) + column("name", "Member", names.values())
                  + column("mode", "Attendance", modes.values()))
        return max(self.app.size.width - others - SCROLL_BAR - 2, 2)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted member's letter in words, whole, whatever the list had room for."""
        detail = self.query_one("#letter-detail", Static)
        member_id = self.highlighted()
        state = self.app.state
        if member_id is None or member_id not in state.members:
            detail.update("")
            return
        name = state.members[member_id].name
        letter = state.letters.get(member_id)
        if letter is None:
            detail.update(f"{name}: no letter on record")
            return
        # "item:ANSWER" without a space, so that a line wraps between two items, never inside one.
        words = "  ".join(f"{i}:{figures.ANSWER_LABEL[p]}" for i, p in letter.positions.items())
        detail.update(f"{name}: letter {figures.letter_state(state, member_id)} — {words}")

    def action_edit_letter(self) -> None:
        member_id = self.highlighted()
        if member_id is None:
            return
        app = self.app
        if time.monotonic() - self._dialog_closed < AGAIN:
            app.notify("enter came at once after the letter dialog closed: it was not opened again. Press enter "
                       "once more to open it.", title="Letter dialog not reopened", timeout=4)
            return
        # Refused at once, by the core's own rule, not after all the positions are typed.
        refusal = app.state.letter_refusal(member_id)
        if refusal is not None:
            remedy = REMEDY.get(refusal.code, refusal.remedy)
            app.notify(refusal.why + (f" — {remedy}" if remedy else "") + ".", title="No letter recorded",
                       severity="warning", timeout=8)
            return

        def save(positions: dict[str, str] | None) -> None:
            self._dialog_closed = time.monotonic()
            if positions:
                app.record(app.session.record_letter, member_id, positions)

        app.push_screen(LetterDialog(app.state, member_id), save)

    def action_withdraw(self) -> None:
        member_id = self.highlighted()
        app = self.app
        if member_id is None:
            return
        name = full_name(app.state.members[member_id])
        if member_id not in app.state.letters:
            app.notify(f"{name} has no letter on record.", severity="warning")
            return
        app.push_screen(ConfirmDialog("Withdraw letter", content("Withdraw the letter of [b]$name[/]?", name=name),
                                      "withdraw it"),
                        lambda ok: ok and app.record(app.session.withdraw_letter, member_id))
