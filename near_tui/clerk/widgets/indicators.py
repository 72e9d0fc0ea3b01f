"""Live indicators: the session's quorum lamp, and an item's quorum, counts, threshold meter and verdict.

Each panel is a widget with a reactive attribute that a screen sets to ONE object of the view
model (``near_tui.views.view_model``), the very objects the chair and the web board draw: a
``SessionNow``, a roll call's ``VotePanel``, any other item's ``AgendaLine``. The panels render
only from it (data flows down): nothing here counts a figure, judges an outcome or chooses its
words, so what the clerk reads is what the hall reads.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from near_tui.views.verdict import BAD, GOOD, LIVE, WARN
from near_tui.views.view_model import AgendaLine, Quorum, SessionNow, VotePanel

from .text import show

# A verdict's tone as a theme colour; the words and symbol always stand beside it.
TONE_STYLE = {GOOD: "bold reverse $success", BAD: "bold reverse $error", WARN: "bold reverse $warning",
              LIVE: "bold $accent"}
NARROW = 70  # below this many columns the lines use their short words

Picture = SessionNow | VotePanel | AgendaLine  # what the item panel is fed


def verdict_template(tone: str, name: str = "verdict") -> str:
    """Markup showing ``$<name>`` (pass the verdict's symbol and words as that value) in its ``tone``."""
    style = TONE_STYLE.get(tone, "bold")
    return f"[{style}] ${name} [/]"


def quorum_text(q: Quorum, narrow: bool = False) -> str:
    """The quorum lamp as markup: participating / required / base."""
    if q.met:
        lamp = "[bold reverse $success] ● QUORUM [/]"
    else:
        lamp = "[bold reverse $error] ○ NO QUORUM [/]"
    if narrow:
        return f"{lamp} [b]{q.participating}[/] particip. / {q.required} req. / {q.base}"
    return f"{lamp} [b]{q.participating}[/] participating / {q.required} required / {q.base} members"


def meter_text(yes: int, required: int, width: int = 20) -> str:
    """A bar of yes against the yes needed; the marker │ is where the rule is met."""
    scale = max(required, yes, 1)
    filled = round(width * yes / scale)
    mark = min(width - 1, max(0, round(width * required / scale) - 1))
    colour = "$success" if yes >= required else "$primary"

    def run(start: int, end: int) -> str:  # cells start..end-1, as two runs (markup parsed per key)
        full, empty = max(0, min(end, filled) - start), max(0, end - max(start, filled))
        return (f"[{colour}]{'█' * full}[/]" if full else "") + (f"[dim]{'░' * empty}[/]" if empty else "")

    return "▕" + run(0, mark + 1) + "[b]│[/]" + run(mark + 1, width) + "▏"


def counts_text(p: VotePanel, narrow: bool = False) -> str:
    """A roll call's disjoint counts as the view model gives them (after a close nobody is uncalled: 0)."""
    if narrow:
        return (f"Yes [b $success]{p.yes}[/]  No [b $error]{p.no}[/]  Abst. [b]{p.abstain}[/]  "
                f"Not v. [b]{p.not_voting}[/]  Uncalled [b $primary]{p.uncalled}[/]")
    return (f"Yes [b $success]{p.yes}[/]  No [b $error]{p.no}[/]  Abstain [b]{p.abstain}[/]  "
            f"Not voting [b]{p.not_voting}[/]  Uncalled [b $primary]{p.uncalled}[/]")


class SessionBar(Static):
    """The session-wide quorum lamp and the attendance figures, drawn from ``now``."""

    DEFAULT_CSS = """
    SessionBar { height: auto; background: $panel; color: $foreground; padding: 0 1; }
    """

    now: reactive[SessionNow | None] = reactive(None)

    def watch_now(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()  # one line or two, long words or short: they follow the width

    def _draw(self) -> None:
        now = self.now
        if now is None or not self.is_mounted:
            return
        width = self.app.size.width
        # Two lines on a laptop-width terminal, one on a wide one.
        joint = "  │  " if width >= 110 else "\n"
        # "Session now": attendance as of this moment, which a vote's own quorum (members who
        # answered and left still count for it) may differ from; the item line says "Vote on item N".
        # Closed, "now" is the close: the SESSION CLOSED mark takes the room of "Session now:",
        # so the figures keep their words.
        mark = "[bold reverse $error] SESSION CLOSED [/] " if now.closed else "Session now: "
        attendance = (f"in person [b]{now.in_person}[/] · online [b]{now.online}[/]"
                      f" · by letter [b]{now.letter}[/] · absent [b]{now.absent}[/]")
        show(self, mark + quorum_text(now.quorum, narrow=width < NARROW) + joint + attendance, layout=True)


class ItemIndicators(Vertical):
    """Four lines for one item: quorum lamp; counts; threshold meter; verdict with its reason.

    ``picture``: a roll call's ``VotePanel`` (all four lines), any other item's ``AgendaLine``
    (its verdict line alone: an item set aside or of another kind has no figures), or the
    ``SessionNow`` when no item is chosen (the session's lamp). ``hint``: what a key does for
    this item on the screen showing it ("enter: mark it noted"), said after an item's verdict.
    """

    DEFAULT_CSS = """
    ItemIndicators { height: auto; background: $panel; padding: 0 1; }
    ItemIndicators > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    picture: reactive[Picture | None] = reactive(None)
    hint: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        yield Static(id="quorum")
        yield Static(id="counts")
        yield Static(id="meter")
        yield Static(id="verdict")

    def on_mount(self) -> None:
        self._draw()

    def watch_picture(self) -> None:
        self._draw()

    def watch_hint(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()  # the short or long words, for the new width

    def _draw(self) -> None:
        if not self.is_mounted or not self.children:
            return
        p = self.picture
        narrow = self.app.size.width < NARROW
        quorum, counts, meter, line = (self.query_one(f"#{n}", Static) for n in ("quorum", "counts", "meter",
                                                                                 "verdict"))
        figures = not isinstance(p, AgendaLine)
        if quorum.display != figures:
            quorum.display = counts.display = meter.display = figures
        # Each line is one row high whatever it says: no layout pass (see widgets/text.py).
        if p is None or isinstance(p, SessionNow):
            show(quorum, "Session now: " + quorum_text(p.quorum, narrow) if p is not None else "")
            show(counts, "")
            show(meter, "")
            show(line, "")
            return
        if isinstance(p, AgendaLine):
            hint = " · $hint" if self.hint else ""
            show(line, "Item $item ($kind): " + verdict_template(p.tone) + " $reason" + hint,
                 item=p.item_id, kind=p.kind, verdict=p.label, reason=p.reason, hint=self.hint)
            return
        where = "Item $item: " if p.stage == "not_opened" else "Vote on item $item: "
        show(quorum, where + quorum_text(p.quorum, narrow), item=p.item_id)
        show(counts, counts_text(p, narrow))
        show(meter, f"[b]$rule[/] yes [b]{p.yes}[/] · [b]{p.required_yes}[/] needed · {p.cast} cast "
                    + meter_text(p.yes, p.required_yes, 8 if narrow else 16), rule=p.rule_short)
        # The words first, so a narrow screen cuts the reason (with …), never the verdict. A reason too
        # long for the line gives way to the verdict's brief one (without the figures the lines above
        # show), so what is cut is never the part that says why.
        room = self.app.size.width - 2 - cell_len(f" {p.outcome}  ")  # the panel's padding, the label
        reason = p.outcome_reason if cell_len(p.outcome_reason) <= room else p.outcome_brief or p.outcome_reason
        show(line, verdict_template(p.outcome_tone) + " $reason", verdict=p.outcome, reason=reason)
