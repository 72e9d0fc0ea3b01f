"""Adding an addendum during the session: a form with the agenda file's fields.

The form checks nothing itself: it hands the item to ``Session.add_item`` through
``app.record``, so it is refused exactly as ``near-tui check`` would refuse it in an
agenda file (``SessionState.added_item``). A refused item (``ItemRefused``) is one line
under the form that names the field, the field gets the focus and is marked; nothing is
written. Any other refusal is ``app.record``'s toast, as for every key.

Adding is confirmed like the other agenda changes (``agenda_dialogs.TypedConfirm``):
enter in a field goes to the next one, and only the new item's id typed again into the
last box, then enter, adds it. No button, so no default one; a double enter, or y n a x c,
never adds anything.
"""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from near_tui.core.state import ItemRefused
from near_tui.ui.display_text import show

from ..widgets.hint_input import HintInput
from .agenda_dialogs import TypedConfirm

KINDS = ["decision", "election", "consensus", "report", "presentation"]

# (field id = the item key the core names when it refuses, label, placeholder wordings longest first:
# the box shows the longest its width holds, and the kinds alone where "→ completes" does not fit)
FIELDS = [
    ("id", "Id", ("the new item's id, e.g. A1",)),
    ("title", "Title", ("as the minutes will say it",)),
    ("kind", "Kind", ("decision, election, consensus, report or presentation (→ completes)",
                      "decision/election/consensus/report/presentation (→ completes)",
                      "decision, election, consensus, report, presentation")),
    ("article", "Article", ("decisions only: 8.1 … 8.11 (Charter Art. 8), sub-5.8",)),
    ("admits", "Admits", ("Art. 8.1 only: applicant ids, separated by commas",)),
    ("after", "After item", ("empty: at the end of the agenda",)),
    ("description", "Description", ("optional",)),
    ("carried", "If carried", ("optional: what the declaration says (past tense)",)),
    ("not_carried", "If not", ("optional: what it says when not carried",)),
]
LABELS = {key: label for key, label, _ in FIELDS}


def item_mapping(values: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    """The form's text as an agenda file's item mapping, and the item to go after.

    Only the shape is made here (empty optional fields left out, admits split on commas);
    every check is the core's.
    """
    item: dict[str, Any] = {"id": values["id"].strip(), "title": values["title"], "kind": values["kind"].strip()}
    if values["article"].strip():
        item["article"] = values["article"].strip()
    admits = [a for a in re.split(r"[,\s]+", values["admits"]) if a]
    if admits:
        item["admits"] = admits
    if values["description"].strip():
        item["description"] = values["description"]
    resolution = {k: values[k] for k in ("carried", "not_carried") if values[k].strip()}
    if resolution:
        item["resolution"] = resolution
    return item, values["after"].strip() or None


class AddendumDialog(TypedConfirm):
    """The addendum form; dismisses with the new item's id once recorded, None on esc."""

    CSS_PATH = ["dialogs.tcss", "agenda_dialogs.tcss", "addendum_dialog.tcss"]
    VERB = "add it"

    def __init__(self, after: str | None = None) -> None:
        super().__init__("")
        self.after = after  # the item highlighted on the agenda: the addendum goes after it by default

    def compose_fields(self) -> ComposeResult:
        with VerticalScroll(id="fields", can_focus=False):
            for key, label, placeholder in FIELDS:
                with Horizontal(classes="field", id=f"row-{key}"):
                    yield Label(label, classes="label")
                    suggester = SuggestFromList(KINDS, case_sensitive=False) if key == "kind" else None
                    yield HintInput(*placeholder, id=f"f-{key}", name=key, compact=True, suggester=suggester,
                                    max_length=500)

    def prepare(self) -> None:
        show(self.query_one("#title", Static), "Add an addendum to the agenda")
        show(self.query_one("#body", Static),
             "Checked as an item of the agenda file is. [b]enter[/] goes to the next field.", layout=True)
        if self.after is not None:
            self.field("after").value = self.after
        self._prompt()

    def first_field(self) -> Input:
        return self.field("id")

    def _prompt(self) -> None:
        typed = self.field("id").value.strip()
        self.confirm_id = typed
        if typed:
            template = "Type the id [b]$id[/] again and press [b]enter[/] to add it: "
        else:
            template = "Fill in the id, then type it here and press [b]enter[/] to add it: "
        show(self.query_one("#prompt", Static), template, layout=True, id=typed)  # its width follows the text
        show(self.query_one("#keys", Static),
             "[b]enter[/] next field    [b]the id[/] [b]enter[/] in the last box: add it    [b]esc[/] go back")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.name == "id":
            self._prompt()
        if event.input.has_class("-refused"):
            event.input.remove_class("-refused")

    def values(self) -> dict[str, str]:
        return {key: self.field(key).value for key, _, _ in FIELDS}

    def field(self, key: str) -> Input:
        """The form's box for item key ``key`` (ids are prefixed: ``#title`` is the dialog's title)."""
        return self.query_one(f"#f-{key}", Input)

    def ready(self) -> tuple[str, Input | None] | None:
        if not self.confirm_id:
            return "[b $error]Not added:[/] give the new item an id first.", self.field("id")
        return None

    def confirmed(self) -> None:
        item, after = item_mapping(self.values())
        refused: list[ItemRefused] = []

        def add() -> None:
            try:
                self.app.session.add_item(item, after)
            except ItemRefused as exc:
                # Said once, under the form beside its field (a toast would say it again over the
                # form's last lines). Any other refusal is app.record's toast, as for every key.
                refused.append(exc)

        def done(recorded: bool) -> None:
            if recorded:  # else not recorded for a reason of the seat (stopped, closed, other refusal): its toast says so
                self._added(item, refused)
        self.app.record(add, then=done)

    def _added(self, item: dict, refused: list[ItemRefused]) -> None:
        if not refused:
            self.dismiss(item["id"])
            return
        exc = refused[0]
        field = self.field(exc.key) if exc.key in LABELS else None
        if field is None:
            self.say("[b $error]Not added:[/] $why", why=str(exc))
            return
        self.say("[b $error]Not added — $label:[/] $why", label=LABELS[exc.key], why=str(exc))
        field.add_class("-refused")
        field.focus()
