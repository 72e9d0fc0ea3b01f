"""An input box whose placeholder fits its width: the longest wording that fits, else cut with "…".

Textual draws a placeholder wider than the box cut off mid-word, so the end of a hint
("→ completes") silently went missing at 80 columns. A box given several wordings, longest
first, shows the first one its width holds; if none fits, the last is cut at a word with "…".
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Input


def fitting(hints: tuple[str, ...], cells: int) -> str:
    """The first of ``hints`` within ``cells``, else the last cut at a word boundary with "…"."""
    for hint in hints:
        if cell_len(hint) <= cells:
            return hint
    kept = ""
    for word in hints[-1].split(" "):
        longer = f"{kept} {word}" if kept else word
        if cell_len(longer) + 1 > cells:
            break
        kept = longer
    return kept.rstrip(",;:(") + "…" if cells > 0 else ""


class HintInput(Input):
    """An ``Input`` whose placeholder is chosen from ``hints`` (longest first) for its width."""

    def __init__(self, *hints: str, **options) -> None:
        super().__init__(placeholder=hints[0] if hints else "", **options)
        self.hints = hints

    def on_resize(self) -> None:
        if self.hints:
            # One cell is the cursor's, after the text: the hint must leave it free.
            self.placeholder = fitting(self.hints, self.content_region.width - 1)
