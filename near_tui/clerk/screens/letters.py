"""Letters: record, see and withdraw written decision letters; superseded letters stand out."""

from __future__ import annotations

import time

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


class LettersScreen(MemberListScreen):
    CSS_PATH = "letters.tcss"
    BINDINGS = [
        # Not priority: enter must come after the letters typed before it (see member_table.ListTable).
        Binding("enter", "edit_letter", "Record letter"),
        Binding("delete", "withdraw", "Withdraw"),
    ]
    SUMMARY_ID = "letters-summary"
    _dialog_closed = 0.0  # time.monotonic() when the letter dialog last closed
    COLUMNS = MemberListScreen.COLUMNS + (("Positions", "positions"),)

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
        rows = []
        for m in state.roster_members():
            if not self.matches(m):
                continue
            status = figures.letter_state(state, m.id)
            positions = figures.letter_summary(state, m.id)
            if status.startswith("superseded"):
                status, positions = paint("[b $warning]$s[/]", s=status), paint("[strike dim]$p[/]", p=positions)
            else:
                status, positions = paint("[b $primary]$s[/]", s=status), cell(positions)
            # How the member stands now: the same words as the attendance screen (SessionState.standing).
            rows.append((m.id, (cell(m.country), name_cell(m, cells), cell(figures.attendance_label(state, m)),
                                status, positions)))
        self.fill(self.query_one(DataTable), rows)
        self.show_open_item(state)

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
