"""Every key of the clerk's console on one page (F1 or ?)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
[b]Anywhere[/]
  F1 ?  this help            F2 g  agenda          F3 t  attendance
  F4 l  letters              F5 r  roll call (the open one, if any)
  ctrl+p  command palette    q, ctrl+q  quit (everything is saved already)
  ctrl+e  end the session, after confirmation (close any open vote first)
  ctrl+o  reopen a closed session (a reason, then type reopen)
  On attendance and letters, letters filter: use the F-keys there.

[b]Agenda[/]      ↑↓ choose an item · enter open it:
  decision: r roster order, d alphabetical from a member drawn by lot
  report, presentation: the item number and enter record it as noted
  consensus: a adopted or n not, then the item number and enter
  election: type a name, enter marks, ctrl+r, the item number, enter
  + addendum · w withdraw · p postpone · m move: each asks for the item
    number (an addendum: its new id) typed, then enter

[b]Attendance[/]  type to filter · ↑↓ move · 1 in person · 2 online · 0 absent
[b]Letters[/]     type to filter · enter record or edit (y n a per item, space
            not covered, enter save) · delete withdraw

[b]Roll call[/]   the highlighted member is the one called (as on the chair)
  y n a x   yes, no, abstain, not voting; the cursor then goes to the
            next present member not yet answered
  ↑↓        select another row:
              not called yet: y n a x answers at once, out of order
              answered, or by letter: y n a x proposes a correction,
              enter records it, any other key drops it
  home      back to the member being called
  backspace undo the latest entry (the toast says what was undone)
  c         close the vote: type the item number and enter; when members
            are still uncalled, first tick "counted as not voting" (space)
  When everyone present has answered, y n a x record nothing.
  Letters in effect are pre-filled; absent members are not called.
"""


class HelpScreen(ModalScreen):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="box"):
            yield Static("NEAR clerk — keys", id="title")
            yield Static(HELP, id="body")
            yield Static("[b]esc[/] close", id="keys")
