"""Attendance: every member by country; 1 in person, 2 online, 0 absent; live quorum and counts."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable, Static

from near_tui.core import charter
from near_tui.views.view_model import session_now

from .. import figures
from ..widgets.cells import Painter, cell
from ..widgets.indicators import SessionBar
from ..widgets.names import budget, name_cell, shorten
from ..widgets.text import content, show
from .member_table import SEPARATOR, MemberListScreen

MODE_STYLE = {"in person": "[b $success]in person[/]", "online": "[b $success]online[/]",
              "by letter": "[b $primary]by letter[/]", "absent": "[dim]absent[/]"}


def wrap_whole(parts: list[str], values: dict[str, object], width: int) -> str:
    """The parts joined by two spaces, a line break put only between two parts: a figure such as
    "KR 5+6✉/16" is never split over two lines."""
    lines: list[str] = []
    for part in parts:
        if lines and content(lines[-1] + "  " + part, **values).cell_length <= width:
            lines[-1] += "  " + part
        else:
            lines.append(part)
    return "\n".join(lines)


class AttendanceScreen(MemberListScreen):
    CSS_PATH = "attendance.tcss"
    BINDINGS = [
        Binding("1", "mark('in_person')", "In person"),
        Binding("2", "mark('online')", "Online"),
        Binding("0", "mark('absent')", "Absent"),
    ]
    SUMMARY_ID = "countries"
    # One mark per press: a held key would mark every member down the list (ClerkApp, key_repeat.py).
    ONE_PER_PRESS = frozenset({"1", "2", "0"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A closed session takes no attendance: its keys leave the footer, which then fits 80 columns.
        if action == "mark":
            return not self.app.state.closed
        return super().check_action(action, parameters)

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        state = self.app.state
        self.query_one(SessionBar).now = session_now(state)
        # Country codes come from the roster file: values, like every name below.
        parts, values = [], {}
        for i, (country, present, letters, members) in enumerate(figures.country_counts(state)):
            values[f"c{i}"] = country
            parts.append(f"[b]$c{i}[/] {present}" + (f"+{letters}✉" if letters else "") + f"/{members}")
        show(self.query_one("#countries", Static), wrap_whole(["Present(+letter)/members:", *parts], values,
                                                              self.app.size.width - 2),
             layout=True, **values)
        paint = Painter.of(self.app)
        cells = self.name_cells = budget(self.app.size.width)
        rows = []
        for m in state.roster_members():
            if self.matches(m):
                label = figures.attendance_label(state, m)
                name = name_cell(m, cells, "" if charter.may_vote(m) else " (restricted)")
                rows.append((m.id, (cell(m.country), name, MODE_STYLE[label], figures.letter_state(state, m.id))))
        apart = [m for m in figures.not_counted(state) if self.matches(m)]
        if apart:
            # Held to the Member column's room like every name above, so that the attendance and
            # letter columns stay on screen at 80 columns.
            rows.append((SEPARATOR, ("", paint("[i]$what[/]", what=shorten("— not counted in the quorum —", cells)),
                                     "", "")))
            for m in apart:
                rows.append((m.id, (cell(m.country), name_cell(m, cells, f" ({figures.STATUS_LABEL[m.status]})"),
                                    MODE_STYLE[figures.MODE_LABEL[state.mode(m.id)]], "")))
        self.fill(self.query_one(DataTable), rows)
        self.show_open_item(state)

    def action_mark(self, mode: str) -> None:
        member_id = self.highlighted()
        if member_id is None:
            return
        self.app.record(self.app.session.set_attendance, member_id, mode,
                        then=lambda ok: ok and self.action_move(1))
