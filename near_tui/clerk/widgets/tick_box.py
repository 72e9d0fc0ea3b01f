"""A tick box for a deliberate step before an irreversible act: ☐ or ☑ with what it means in words.

Used by the close-vote dialog ("count these members as not voting") and the end-of-session
dialog ("leave these items pending"). A second space unticks it, so a double press gives
nothing. Not a Checkbox: its grey ✕ when unticked reads as ticked from a step away.
Subclasses say what ticking means (``ticked_text`` / ``unticked_text``, literal markup:
any data in them goes in as ``$values``).
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class TickBox(Static):
    value: reactive[bool] = reactive(False)
    count = 0

    def ticked_text(self) -> Content:
        raise NotImplementedError

    def unticked_text(self) -> Content:
        raise NotImplementedError

    def render(self) -> Content:
        return self.ticked_text() if self.value else self.unticked_text()

    class Toggled(Message):
        """The clerk ticked or unticked the box (a refusal said before is out of date)."""

    def toggle(self) -> None:
        self.value = not self.value
        self.post_message(self.Toggled())

    def on_click(self) -> None:
        self.toggle()
