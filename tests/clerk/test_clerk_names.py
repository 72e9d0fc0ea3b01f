"""Names and titles are data: every clerk screen shows them exactly as written, markup-looking or not.

A member called "Hubei [/] Province" once crashed the roll call (MarkupError) and
"Heilongjiang Province [North-East China]" lost its bracket; here every screen the
roll call's owner draws is rendered under Pilot with such a roster, and the exact
text must be on screen.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from textual.widgets import Static

from near_tui.clerk.screens.agenda import AgendaScreen
from near_tui.clerk.screens.agenda_dialogs import RecordResultDialog
from near_tui.clerk.screens.attendance import AttendanceScreen
from near_tui.clerk.screens.close_session_dialog import SessionClosed
from near_tui.clerk.screens.close_vote_dialog import CloseVoteDialog
from near_tui.clerk.screens.dialogs import ConsensusDialog, InfoDialog, OrderDialog
from near_tui.clerk.screens.help import HelpScreen
from near_tui.clerk.screens.roll_call import RollCallScreen
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, screen_text, text_of, wait_for

NAMES = [
    "Heilongjiang Province [North-East China]",
    "Hubei [/] Province",
    "[b]Bold[/b] Oblast",
    "[red]x[/red] Aimag",
    "$success City",
    "Back Slash \\",
    "黑龙江省",
    "青森県",
    "강원도",
    "Хабаровский край",
    "Дорнод аймаг",
    "Kyoto Prefecture",
]
TITLE = "Fees [2019] [/] for $error \\"
REPORT = "Report [b]on[/b] the [red]budget[/red]"
CONSENSUS = "Thanks [/] to $accent"


def tricky_session(tmp_path: Path) -> str:
    """Twelve members, the first ten present, one letter; a decision, a report, a consensus item."""
    members = [{"id": f"m{i:02}", "name": n, "country": "KR" if i % 2 else "RU", "status": "member",
                "voting": "full"} for i, n in enumerate(NAMES)]
    doc = {
        "session": {"id": "s-1", "title": "Assembly [/] $primary", "body": "general_assembly",
                    "venue": "Hall [b]A[/b] \\", "opens": "2024-05-01"},
        "roster": members,
        "items": [
            {"id": "2", "title": TITLE, "kind": "decision", "article": "8.6",
             "description": "Raise [b]fees[/] by [red]10%[/red] \\"},
            {"id": "3", "title": REPORT, "kind": "report"},
            {"id": "4", "title": CONSENSUS, "kind": "consensus"},
        ],
    }
    path = tmp_path / "tricky.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    db = str(tmp_path / "tricky.sqlite")
    session = Session.create(load_agenda(path), db, clock=FixedClock())
    for i in range(10):
        session.set_attendance(f"m{i:02}", "in_person")
    session.record_letter("m11", {"2": "no"})
    session.close_log()
    return db


def on_screen(app) -> str:
    return screen_text(app)


async def show_all_rows(pilot, app):
    """Scroll the call list to its end and back, collecting every drawn line."""
    seen = on_screen(app)
    for _ in range(len(NAMES)):
        await pilot.press("down")
        seen += "\n" + on_screen(app)
    await pilot.press("home")
    return seen


async def test_every_clerk_screen_shows_names_and_titles_as_written(clerk_pilot, tmp_path):
    db = tricky_session(tmp_path)
    async with clerk_pilot(db=db, size=(160, 50)) as pilot:
        app = pilot.app
        assert isinstance(app.screen, AgendaScreen)
        text = on_screen(app)
        for title in (TITLE, REPORT, CONSENSUS):
            assert title in text
        assert "Raise [b]fees[/] by [red]10%[/red] \\" in text  # the description of item 2

        # The noted / consensus confirmations and the call-order dialog name the item as written.
        await pilot.press("down", "enter")  # item 3, a report
        await pilot.pause()
        assert isinstance(app.screen, RecordResultDialog) and f"Item 3: {REPORT}" in on_screen(app)
        await pilot.press("escape", "down", "enter")  # item 4, consensus
        await pilot.pause()
        assert isinstance(app.screen, ConsensusDialog) and f"Consensus: 4. {CONSENSUS}" in on_screen(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RecordResultDialog) and f"Item 4: {CONSENSUS}" in on_screen(app)
        await pilot.press("4", "enter", "up", "up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OrderDialog) and f"Open the roll call: 2. {TITLE}" in on_screen(app)

        # The roll call, open: every name in the list; the member called, whole, on its panel.
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen)
        assert f"Item 2 · {TITLE} · Art. 8.6" in on_screen(app)
        rows = await show_all_rows(pilot, app)
        for name in NAMES:
            assert name in rows, name
        # The close dialog names the members not called yet.
        await pilot.press("y", "c")
        await pilot.pause()
        assert isinstance(app.screen, CloseVoteDialog)
        uncalled = text_of(app.screen.query_one("#uncalled", Static))
        assert f"not been called: {NAMES[1]}, {NAMES[2]}, {NAMES[3]} and 6 more" in uncalled
        await pilot.press("escape")
        for _ in range(9):
            await pilot.press("y")
        await pilot.press("c", "2", "enter")
        await pilot.pause()
        assert app.state.items["2"].status == "closed"

        # Closed: the list and the record panel still show every name.
        rows = await show_all_rows(pilot, app)
        for name in NAMES:
            assert name in rows, name

        # Attendance: every member by name.
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)
        text = on_screen(app)
        for name in NAMES:
            assert name in text, name

        # The dialog after the session is ended: folder and file names are data too.
        app._session_closed(SessionClosed("s-1", Path("/tmp/[b]out[/] $x"), [Path("/tmp/[b]y [red] $z.txt")], 41,
                                          "ab12", False, Path("/tmp/k [/].key")))
        # It reads the log first, in the write worker: the dialog comes once that read is done.
        await wait_for(lambda: isinstance(app.screen, InfoDialog), what="the closed session's dialog")
        await pilot.pause()
        text = on_screen(app)
        assert "/tmp/[b]out[/] $x" in text and "[b]y [red] $z.txt" in text
        await pilot.press("escape", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_member_called_is_shown_whole_at_80_columns(clerk_pilot, tmp_path):
    db = tricky_session(tmp_path)
    async with clerk_pilot(db=db, item="2") as pilot:
        app = pilot.app
        assert "NOW CALLING" in on_screen(app)
        for name in NAMES[:10]:  # the present members, called one after the other
            panel = on_screen(app).split("┗")[0]
            assert name in panel, name
            await pilot.press("y")
            await pilot.pause()
