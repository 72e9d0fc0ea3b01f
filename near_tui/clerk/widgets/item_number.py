"""The one way the clerk confirms what no key undoes: the item number typed into a box, then enter.

Closing a vote, recording an election or a result and changing the agenda all confirm here
(docs/clerk.md): no button exists, so none has the focus, the answer keys (y n a x c) are
only letters typed into the box, and enter on an empty or wrong box gives nothing.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static


class ItemNumberBox(Input):
    """The one box the clerk types into; space ticks or unticks a box above it (when the dialog has one).

    Every key of the dialog goes to this one widget, in the order typed, so "space 2
    enter" typed fast cannot lose a key to a focus change (item numbers hold no spaces).
    """

    class SpacePressed(Message):
        """Space in the box: tick or untick the dialog's box."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "space":
            event.stop()
            event.prevent_default()
            self.post_message(self.SpacePressed())
            return
        await super()._on_key(event)

    def take(self, expected: str) -> bool:
        """Whether the box holds ``expected`` (case aside, as typed); the box is emptied either way."""
        typed = self.value.strip()
        self.value = ""
        return typed.casefold() == expected.casefold()


def item_number_row() -> ComposeResult:
    """The prompt (``#prompt``, filled in by the dialog) and the box (``#item-number``) on one line."""
    with Horizontal(id="prompt-row"):
        yield Static(id="prompt")
        yield ItemNumberBox(id="item-number", compact=True, max_length=20)
