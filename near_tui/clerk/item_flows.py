"""What opening an agenda item does, by its kind: a roll call, noted, consensus or an election.

The agenda's enter and F5 (or the palette's "Roll call") open an item through
``ItemFlows.open_item``: a decision item opens its roll call (after the order dialog when its
vote is not open yet); the others are recorded only once their number is typed in a dialog
(docs/clerk.md, "Slips the screens absorb"). While a vote is open, F5 always goes to its roll call.
"""

from __future__ import annotations

from near_tui.core.state import SET_ASIDE
from near_tui.views.verdict import item_verdict

from . import figures
from .seat_follow import go_to_open_vote


class ItemFlows:
    """The clerk app's item flows (a mixin of ``ClerkApp``); uses its ``state``, ``session``,
    ``item_id``, ``record`` and ``action_goto``."""

    def action_roll_call(self) -> None:
        # While a vote is open, F5 is always its roll call: on another item, whatever is selected,
        # F5 only said something of that item, and the answers typed next fell into a filter.
        open_item = self.state.open_item
        if open_item is not None and not self.state.closed:
            go_to_open_vote(self, open_item)
            return
        if self.item_id is None:
            self.notify("Choose an item on the agenda first (F2).", severity="warning")
            return
        self.open_item(self.item_id)

    def select_item(self, item_id: str | None) -> None:
        self.item_id = item_id

    def open_item(self, item_id: str) -> None:
        """Open an item the way its kind needs: roll call, noted, consensus or election.

        Titles and names are passed to the dialogs as values, never written into their markup.
        """
        from .screens.dialogs import ConsensusDialog, OrderDialog
        from .screens.election_dialog import ElectionDialog

        self.item_id = item_id
        item = self.state.items[item_id]
        kind, title = item.item.kind, item.item.title
        if item.status in SET_ASIDE:  # never voted nor recorded at this session: say why, once
            said = item_verdict(self.state, item_id)
            self.notify(f"Item {item_id}: {said.label} — {said.reason}. It is not voted or recorded at this "
                        "session; add a new item if the assembly takes it up after all.",
                        title="Not opened", severity="warning", timeout=8)
            return
        if self.state.closed:
            if kind == "decision" and item.status != "pending":
                self.action_goto("roll_call")  # its closed roll call can still be read
            else:
                self.notify("The session is closed: nothing more can be recorded.", title="Session closed",
                            severity="warning")
            return
        if kind == "decision":
            if item.status == "pending":
                def opened(order: str | None) -> None:
                    if order:
                        self.record(self.session.open_vote, item_id, order,
                                    then=lambda ok: ok and self.action_goto("roll_call"))
                self.push_screen(OrderDialog(item_id, title), opened)
            else:
                self.action_goto("roll_call")
            return
        if item.status == "closed":
            self.notify(f"Item {item_id} is already recorded: {figures.item_status(self.state, item_id)}.")
            return
        # A recorded result is final: confirmed by the item number typed and enter (no answer key,
        # no double enter can record it).
        from .screens.agenda_dialogs import RecordResultDialog

        if kind in ("report", "presentation"):
            self.push_screen(RecordResultDialog(item_id, title, "NOTED"),
                             lambda ok: ok and self.record(self.session.note_item, item_id))
        elif kind == "consensus":
            def chosen(adopted: bool | None) -> None:
                if adopted is None:
                    return
                word = "ADOPTED by consensus" if adopted else "NOT ADOPTED by consensus"
                self.push_screen(RecordResultDialog(item_id, title, word),
                                 lambda ok: ok and self.record(self.session.record_consensus, item_id, adopted))
            self.push_screen(ConsensusDialog(item_id, title), chosen)
        elif kind == "election":
            # The dialog itself asks for the item number typed and enter (a double enter records nothing).
            def elected(members: list[str] | None) -> None:
                if members:
                    self.record(self.session.record_election, item_id, members)
            self.push_screen(ElectionDialog(self.state, item_id), elected)
