"""Closing a roll call: what closing now would freeze, and a deliberate act to do it.

A closed vote is never reopened (docs/rules.md, "Closing a vote"), so no single key
closes one. The dialog shows the figures and the verdict of ``state.closing_tally``
(exactly what the close event will carry) and closes only when the clerk types the
item's number into its box and presses enter: the answer keys (y n a x), ``c``, a
double press and enter alone do nothing here, and no button has the focus. While
present members are still uncalled the dialog names them and a box "close with these
N members counted as not voting" must first be ticked with space (typed in the same
box: a second space unticks it).

The dialog dismisses with the tally it showed (None on esc); the roll call hands it to
``Session.close_vote(item, expected=...)``, which closes only if the recorded votes still give
that very tally.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from near_tui.core import events as ev
from near_tui.core.state import SessionState, Tally
from near_tui.service.session import close_actions
from near_tui.views.verdict import rule_label, verdict

from .. import figures
from ..widgets.indicators import verdict_template
from ..widgets.item_number import ItemNumberBox, item_number_row
from ..widgets.text import content, show
from ..widgets.tick_box import TickBox

NAMES_SHOWN = 3  # uncalled members named before "and N more"
ANSWER_KEYS_HERE = ("[b $error]Answer keys record nothing in this dialog:[/] this box only takes the item "
                    "number ([b]$item[/]). Press [b]esc[/] to go back to the roll call and answer there.")


class NotVotingTick(TickBox):
    """The "counted as not voting" box, ticked with space in the item-number box (or a click); never focused."""

    def _who(self) -> str:
        return "this member" if self.count == 1 else f"these {self.count}"

    def ticked_text(self) -> Content:
        verb = "counts" if self.count == 1 else "count"
        return content(f"[b $success]☑ Ticked:[/] {self._who()} {verb} as not voting [dim](space unticks)[/]")

    def unticked_text(self) -> Content:
        return content(f"[b]☐[/] Count {self._who()} as not voting and close [dim](space ticks)[/]")


def uncalled_text(names: list[str]) -> tuple[str, dict[str, str]]:
    """Markup naming the first few uncalled members, with their names as values."""
    shown = names[:NAMES_SHOWN]
    values = {f"name{i}": name for i, name in enumerate(shown)}
    template = ", ".join(f"$name{i}" for i in range(len(shown)))
    if len(names) > len(shown):
        template += f" and {len(names) - len(shown)} more"
    return template, values


class CloseVoteDialog(ModalScreen[Tally | None]):
    """Close the vote on one item; dismisses with the closing tally shown, or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Go back, the vote stays open")]

    def __init__(self, item_id: str) -> None:
        super().__init__()
        self.item_id = item_id
        self.shown: Tally | None = None  # the closing tally on screen
        self.uncalled: list[str] = []  # member ids the tick box is about

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(id="title")
            # The figures scroll on a short terminal; the members not called, the tick box, the
            # item-number box and the keys below them always stay in view.
            with VerticalScroll(id="info", can_focus=False):
                yield Static(id="body")
            yield Static(id="uncalled")
            yield NotVotingTick(id="tick")
            yield from item_number_row()
            yield Static(id="hint")
            yield Static(id="keys")

    def on_mount(self) -> None:
        self._draw()
        show(self.query_one("#title", Static), "Close the vote on item $item? It cannot be reopened.",
             item=self.item_id)
        show(self.query_one("#prompt", Static), "Type [b]$item[/] and press [b]enter[/] to close: ",
             item=self.item_id)
        show(self.query_one("#keys", Static), "[b]$item[/] [b]enter[/] close the vote    [b]esc[/] go back",
             item=self.item_id)
        self.query_one(ItemNumberBox).focus()  # no button ever has the focus

    def refresh_view(self) -> None:
        """Draw the figures again (another seat recorded while the dialog is up)."""
        if self.is_mounted:
            self._draw()

    def _draw(self) -> None:
        state: SessionState = self.app.state
        item = state.items[self.item_id]
        if item.status != "open":
            self.dismiss(None)  # closed meanwhile (another seat): nothing left to confirm
            return
        t = state.closing_tally(self.item_id)
        v = verdict(t)
        self.shown = t
        admitted = [m for kind, payload in close_actions(state, self.item_id) if kind == ev.MEMBER_ADMITTED
                    for m in payload["member_ids"]]
        body = ("If closed now: " + verdict_template(v.tone) + " $reason\n"
                f"Yes [b]{t.yes}[/] · No [b]{t.no}[/] · Abstain [b]{t.abstain}[/] · Not voting [b]{t.not_voting}[/]"
                f" ({t.cast} cast; {rule_label(t.rule, t.reading)}: {t.required_yes} yes needed)\n"
                f"Quorum: {t.participating} participating / {t.quorum_required} required / {t.quorum_base} members")
        values = {"verdict": v.label, "reason": v.reason}
        if admitted:
            body += "\nClosing admits: [b]$admits[/]"
            values["admits"] = ", ".join(state.members[m].full_name for m in admitted)
        show(self.query_one("#body", Static), body, layout=True, **values)

        uncalled = figures.uncalled_members(state, self.item_id)
        box, tick = self.query_one("#uncalled", Static), self.query_one(TickBox)
        if uncalled != self.uncalled and tick.value:
            tick.value = False  # it was ticked for other members than these: tick again
            show(self.query_one("#hint", Static), "[b $warning]Members not called changed: tick again.[/]",
                 layout=True)
        self.uncalled = uncalled
        box.display = tick.display = bool(uncalled)
        if uncalled:
            n = len(uncalled)
            names, name_values = uncalled_text([state.members[m].full_name for m in uncalled])
            who = "member has" if n == 1 else "members have"
            show(box, f"[b $warning]⚠ {n} present {who} not been called:[/] " + names, layout=True, **name_values)
            tick.count = n
            tick.refresh()

    def on_item_number_box_space_pressed(self) -> None:
        tick = self.query_one(TickBox)
        if tick.display:
            # A second space unticks: a double press gives nothing. A refusal said before is out
            # of date: cleared here, before the next key is read.
            tick.value = not tick.value
            show(self.query_one("#hint", Static), "", layout=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        # `c` pressed for `x`: the answers typed next land here. Said at once, not at enter.
        typed = event.value.strip().casefold()
        if typed and not self.item_id.casefold().startswith(typed):
            show(self.query_one("#hint", Static), ANSWER_KEYS_HERE, layout=True, item=self.item_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        hint = self.query_one("#hint", Static)
        if not self.query_one(ItemNumberBox).take(self.item_id):
            show(hint, "[b $error]Not closed:[/] type [b]$item[/] to close it, or esc to go back.", layout=True,
                 item=self.item_id)
            return
        if self.uncalled and not self.query_one(TickBox).value:
            show(hint, "[b $error]Not closed:[/] press [b]space[/] to tick the box first.", layout=True)
            return
        self.dismiss(self.shown)

    def action_cancel(self) -> None:
        self.dismiss(None)
