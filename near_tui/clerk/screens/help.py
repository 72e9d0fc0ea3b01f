"""Every key of the clerk's console on one page (F1 or ?)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
[b]Anywhere[/]
  F1 ?  this help            F2 g  agenda            F3 t  attendance
  F4 l  letters              F5 r  roll call of the selected item
  ctrl+p  command palette    q / ctrl+q  quit (everything is already saved)
  ctrl+e  end the session: confirm, then close it and sign its declaration
          (a roll call still open must be closed first; then nothing more can be recorded)
  (g t l r q are letters: on the attendance and letters screens they filter — use F-keys there)

[b]Agenda[/]      ↑↓ choose an item · enter open it:
  decision → roll call (r roster order, d alphabetical from a member drawn by lot)
  report / presentation → mark noted · consensus → a adopted / n not adopted
  election → type to filter, space mark, enter record; every one confirmed with y

[b]Attendance[/]  type to filter · ↑↓ move · 1 in person · 2 online · 0 absent · esc clear
[b]Letters[/]     type to filter · ↑↓ move · enter record/edit letter (y n a per item,
             space not covered, enter save) · delete withdraw
[b]Roll call[/]   the highlighted member is the one called:
  y yes · n no · a abstain · x not voting — recorded, then the next member
  backspace undo the last entry · ↑↓ select any entry and press a key to correct it
  home back to the next member · c close the vote (confirmed; the result is then frozen)
  Members with a letter in effect are pre-filled and passed over; absent members are not called.
"""


class HelpScreen(ModalScreen):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="box"):
            yield Static("NEAR clerk — keys", id="title")
            yield Static(HELP, id="body")
            yield Static("[b]esc[/] close", id="keys")
