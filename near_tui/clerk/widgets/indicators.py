"""Live indicators of an item: quorum lamp, answer counts, threshold meter, verdict.

Each is a ``Static`` that renders from the state it is handed (data flows down);
``ItemIndicators`` stacks them for one item, ``SessionBar`` shows the session-wide lamp.
Outcome words and their reasons are the item's ``near_tui.views.verdict``; nothing here
decides what a tally means.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from near_tui.core.state import SessionState, Tally
from near_tui.views.verdict import BAD, GOOD, LIVE, WARN, Verdict, item_verdict, rule_label, verdict

from .. import figures
from .text import show

# A verdict's tone as a theme colour; the words and symbol always stand beside it.
TONE_STYLE = {GOOD: "bold reverse $success", BAD: "bold reverse $error", WARN: "bold reverse $warning",
              LIVE: "bold $accent"}
NARROW = 70  # below this many columns the lines use their short words


def verdict_template(v: Verdict, name: str = "verdict") -> str:
    """Markup showing ``$<name>`` (pass ``v.label`` as that value) in the verdict's tone."""
    style = TONE_STYLE.get(v.tone, "bold")
    return f"[{style}] ${name} [/]"


def quorum_text(q: figures.Quorum, narrow: bool = False) -> str:
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


def counts_text(t: Tally, narrow: bool = False) -> str:
    """The tally's disjoint counts as they are (after a close nobody is uncalled: 0)."""
    if narrow:
        return (f"Yes [b $success]{t.yes}[/]  No [b $error]{t.no}[/]  Abst. [b]{t.abstain}[/]  "
                f"Not v. [b]{t.not_voting}[/]  Uncalled [b $primary]{t.uncalled}[/]")
    return (f"Yes [b $success]{t.yes}[/]  No [b $error]{t.no}[/]  Abstain [b]{t.abstain}[/]  "
            f"Not voting [b]{t.not_voting}[/]  Uncalled [b $primary]{t.uncalled}[/]")


class SessionBar(Static):
    """Session title and the live session-wide quorum lamp with the attendance figures."""

    DEFAULT_CSS = """
    SessionBar { height: auto; background: $panel; color: $foreground; padding: 0 1; }
    """

    def show_state(self, state: SessionState) -> None:
        f = state.session_figures()
        width = self.app.size.width
        attendance = (f"in person [b]{f['in_person']}[/] · online [b]{f['online']}[/]"
                      f" · by letter [b]{f['letter']}[/] · absent [b]{f['absent']}[/]")
        # Two lines on a laptop-width terminal, one on a wide one.
        joint = "  │  " if width >= 110 else "\n"
        closed = "[bold reverse $error] SESSION CLOSED [/] " if state.closed else ""
        # "Session now": attendance as of this moment, which a vote's own quorum (members who
        # answered and left still count for it) may differ from; the item line says "Vote on item N".
        # The SESSION CLOSED mark takes the room of "Session now:", so the figures keep their words.
        lamp = quorum_text(figures.session_quorum(state), narrow=width < NARROW)
        # Closed, "now" is the close: the mark says so, and its room is the words "Session now:".
        show(self, closed + ("" if state.closed else "Session now: ") + lamp + joint + attendance, layout=True)


class ItemIndicators(Vertical):
    """Four lines for one item: quorum lamp; counts; threshold meter; verdict with its reason."""

    DEFAULT_CSS = """
    ItemIndicators { height: auto; background: $panel; padding: 0 1; }
    ItemIndicators > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    _shown: tuple[SessionState, str | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="quorum")
        yield Static(id="counts")
        yield Static(id="meter")
        yield Static(id="verdict")

    def on_resize(self) -> None:
        if self._shown is not None:  # the short or long words, for the new width
            self.show_item(*self._shown)

    def show_item(self, state: SessionState, item_id: str | None, tally: Tally | None = None) -> None:
        """Show ``item_id`` (its ``tally`` if the caller has it already), or the session without one."""
        self._shown = (state, item_id)
        narrow = self.app.size.width < NARROW
        quorum, counts, meter, line = (self.query_one(f"#{n}", Static) for n in ("quorum", "counts", "meter",
                                                                                 "verdict"))
        decision = item_id is None or state.items[item_id].item.kind == "decision"
        if quorum.display != decision:
            quorum.display = counts.display = meter.display = decision
        # Each line is one row high whatever it says: no layout pass (see widgets/text.py).
        if item_id is None:
            show(quorum, "Session now: " + quorum_text(figures.session_quorum(state), narrow))
            show(counts, "")
            show(meter, "")
            show(line, "")
            return
        item = state.items[item_id]
        if not decision:
            v = item_verdict(state, item_id)
            action = {"report": "mark it noted", "presentation": "mark it noted", "consensus": "record adopted or not",
                      "election": "record who is elected"}[item.item.kind]
            hint = f" · enter: {action}" if item.status == "pending" else ""
            show(line, f"Item $item ({item.item.kind}): " + verdict_template(v) + " $reason" + hint,
                 item=item_id, verdict=v.label, reason=v.reason)
            return
        t = tally if tally is not None else state.tally(item_id)
        v = verdict(t)
        where = "Item $item: " if item.status == "pending" else "Vote on item $item: "
        show(quorum, where + quorum_text(figures.Quorum(t.participating, t.quorum_required, t.quorum_base), narrow),
             item=item_id)
        show(counts, counts_text(t, narrow))
        rule = rule_label(t.rule, t.reading)
        show(meter, f"[b]{rule}[/] yes [b]{t.yes}[/] · [b]{t.required_yes}[/] needed · {t.cast} cast "
                    + meter_text(t.yes, t.required_yes, 8 if narrow else 16))
        # The words first, so a narrow screen cuts the reason (with …), never the verdict.
        show(line, verdict_template(v) + " $reason", verdict=v.label, reason=v.reason)
