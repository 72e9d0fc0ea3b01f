"""Live indicators of an item: quorum lamp, answer counts, threshold meter, "decided".

Each is a ``Static`` that renders from the state it is handed (data flows down);
``ItemIndicators`` stacks them for one item, ``SessionBar`` shows the session-wide lamp.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.markup import escape
from textual.containers import Vertical
from textual.widgets import Static

from ...state import SessionState, Tally
from .. import figures
from .text import show


def quorum_text(q: figures.Quorum) -> str:
    """The quorum lamp as markup: participating / required / base."""
    if q.met:
        lamp = "[bold reverse $success] ● QUORUM [/]"
    else:
        lamp = "[bold reverse $error] ○ NO QUORUM [/]"
    return f"{lamp} [b]{q.participating}[/] participating / {q.required} required / {q.base} members"


def meter_text(yes: int, required: int, width: int = 20) -> str:
    """A bar of yes against the yes needed; the marker │ is where the rule is met."""
    scale = max(required, yes, 1)
    filled = round(width * yes / scale)
    mark = min(width - 1, max(0, round(width * required / scale) - 1))
    colour = "$success" if yes >= required else "$primary"
    cells = []
    for i in range(width):
        cells.append(f"[{colour}]█[/]" if i < filled else "[dim]░[/]")
        if i == mark:
            cells.append("[b]│[/]")
    return "▕" + "".join(cells) + "▏"


def outcome_badge(outcome: str, prefix: str) -> str:
    colour = "$success" if outcome == "carried" else "$error"
    return f"[bold reverse {colour}] {prefix}{outcome.replace('_', ' ').upper()} [/]"


class SessionBar(Static):
    """Session title and the live session-wide quorum lamp with the attendance figures."""

    DEFAULT_CSS = """
    SessionBar { height: auto; background: $panel; color: $foreground; padding: 0 1; }
    """

    def show_state(self, state: SessionState) -> None:
        f = state.session_figures()
        attendance = (f"in person [b]{f['in_person']}[/] · online [b]{f['online']}[/]"
                      f" · by letter [b]{f['letter']}[/] · absent [b]{f['absent']}[/]")
        # Two lines on a laptop-width terminal, one on a wide one.
        joint = "  │  " if self.app.size.width >= 110 else "\n"
        closed = "[bold reverse $error] SESSION CLOSED [/] " if state.closed else ""
        show(self, closed + quorum_text(figures.session_quorum(state)) + joint + attendance, layout=True)


class ItemIndicators(Vertical):
    """Three lines for one item: quorum lamp; counts and decided; threshold meter."""

    DEFAULT_CSS = """
    ItemIndicators { height: auto; background: $panel; padding: 0 1; }
    ItemIndicators > Static { height: 1; }
    ItemIndicators #decided { text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="quorum")
        yield Static(id="counts")
        yield Static(id="meter")

    def show_item(self, state: SessionState, item_id: str | None, tally: Tally | None = None) -> None:
        """Show ``item_id`` (its ``tally`` if the caller has it already), or the session without one."""
        quorum, counts, meter = (self.query_one(f"#{n}", Static) for n in ("quorum", "counts", "meter"))
        decision = item_id is None or state.items[item_id].item.kind == "decision"
        if quorum.display != decision:
            quorum.display = counts.display = decision
        # Each line is one row high whatever it says: no layout pass (see widgets/text.py).
        if item_id is None:
            show(quorum, quorum_text(figures.session_quorum(state)))
            show(counts, "")
            show(meter, "")
            return
        item = state.items[item_id]
        if not decision:
            action = {"report": "mark it noted", "presentation": "mark it noted", "consensus": "record adopted or not",
                      "election": "record who is elected"}[item.item.kind]
            show(meter, f"Item {item_id} ({item.item.kind}, no roll call): "
                         f"[b]{escape(figures.item_status(state, item_id))}[/]"
                         + (f" · enter: {action}" if item.status == "pending" else ""))
            return
        t = tally if tally is not None else state.tally(item_id)
        show(quorum, quorum_text(figures.Quorum(t.participating, t.quorum_required, t.quorum_base)))
        show(
            counts,
            f"Yes [b $success]{t.yes}[/]  No [b $error]{t.no}[/]  Abstain [b]{t.abstain}[/]  "
            f"Not voting [b]{t.not_voting}[/]  Uncalled [b $primary]{t.uncalled}[/]"
        )
        bar = (f"[b]{figures.RULE_LABEL[t.rule]}[/] yes {t.yes} of [b]{t.required_yes}[/] needed "
               f"({t.cast} cast) {meter_text(t.yes, t.required_yes, 16)} ")
        if item.status == "closed":
            bar += outcome_badge(t.outcome, "CLOSED: ")
        elif t.decided:
            bar += outcome_badge(t.decided, "DECIDED: ")
        elif item.status == "open":
            bar += "[i]not decided yet[/]"
        else:
            bar += "[i]vote not opened[/]"
        show(meter, bar)
