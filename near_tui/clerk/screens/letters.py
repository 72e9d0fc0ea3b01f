"""Letters: record, see and withdraw written decision letters; superseded letters stand out."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable, Static

from .. import figures
from ..widgets.indicators import SessionBar
from .dialogs import ConfirmDialog
from .letter_dialog import LetterDialog
from .member_table import MemberListScreen


class LettersScreen(MemberListScreen):
    CSS_PATH = "letters.tcss"
    BINDINGS = [
        Binding("enter", "edit_letter", "Record letter", priority=True),
        Binding("delete", "withdraw", "Withdraw letter"),
    ]
    SUMMARY_ID = "letters-summary"
    COLUMNS = MemberListScreen.COLUMNS + (("Positions", "positions"),)

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        state = self.app.state
        self.query_one(SessionBar).show_state(state)
        in_effect = sum(1 for m in state.letters if state.letter_in_effect(m))
        superseded = len(state.letters) - in_effect
        self.query_one("#letters-summary", Static).update(
            f"Letters on record: [b]{len(state.letters)}[/] · in effect [b $primary]{in_effect}[/]"
            f" · superseded by attendance [b $warning]{superseded}[/]")
        rows = []
        for m in state.roster_members():
            if not self.matches(m):
                continue
            status = figures.letter_state(state, m.id)
            positions = figures.letter_summary(state, m.id)
            if status.startswith("superseded"):
                status, positions = f"[b $warning]{status}[/]", f"[strike dim]{positions}[/]"
            elif status:
                status = f"[b $primary]{status}[/]"
            rows.append((m.id, (m.country, m.name, figures.MODE_LABEL[state.mode(m.id)], status, positions)))
        self.fill(self.query_one(DataTable), rows)
        self.show_open_item(state)

    def action_edit_letter(self) -> None:
        member_id = self.highlighted()
        if member_id is None:
            return
        app = self.app

        def save(positions: dict[str, str] | None) -> None:
            if positions:
                app.record(app.session.record_letter, member_id, positions)

        app.push_screen(LetterDialog(app.state, member_id), save)

    def action_withdraw(self) -> None:
        member_id = self.highlighted()
        app = self.app
        if member_id is None:
            return
        if member_id not in app.state.letters:
            app.notify(f"{app.state.members[member_id].name} has no letter on record.", severity="warning")
            return
        name = app.state.members[member_id].name
        app.push_screen(ConfirmDialog("Withdraw letter", f"Withdraw the letter of [b]{name}[/]?", "withdraw it"),
                        lambda ok: ok and app.record(app.session.withdraw_letter, member_id))
