"""What the chair's screen shows, derived from the session state (no Textual, no I/O).

``build_board`` turns a ``SessionState`` (plus which item the clerk touched
last) into a ``Board``: plain, comparable values with every word already
chosen, so the widgets only draw and a test can read exactly what the chair
will read. Every colour the widgets use is paired here with a word or symbol.

Nothing is counted or judged here: the figures are the core's ``Tally`` as it is,
every outcome (words, symbol, tone, reason) is ``near_tui.views.verdict``'s, and the
member being called is ``SessionState.now_calling``, the one the clerk's seats show.
"""

from __future__ import annotations

from dataclasses import dataclass

from near_tui.core import charter, events as ev
from near_tui.core.state import SET_ASIDE, SessionState

from .verdict import BAD, GOOD, item_verdict, needed_of, rule_words, verdict

# Events that move the chair's attention to an item (attendance and letters do not).
ITEM_EVENTS = frozenset({
    ev.VOTE_OPENED, ev.VOTE_CLOSED, ev.MEMBER_ADMITTED, ev.ITEM_NOTED,
    ev.CONSENSUS_RECORDED, ev.ELECTION_RECORDED,
})
AGENDA_EVENTS = frozenset({ev.ITEM_WITHDRAWN, ev.ITEM_POSTPONED, ev.ITEM_MOVED})


@dataclass(frozen=True)
class Focus:
    """The item the clerk acted on last, and how (``ev`` kind)."""

    item_id: str | None = None
    kind: str | None = None

    def after(self, events: list[ev.Event]) -> Focus:
        focus = self
        for event in events:
            if event.kind in ITEM_EVENTS:
                focus = Focus(event.payload["item_id"], event.kind)
            elif event.kind in AGENDA_EVENTS:
                # The hall sees the agenda change at once, the changed item marked.
                focus = Focus(event.payload["item_id"], event.kind)
            elif event.kind == ev.ITEM_ADDED:
                focus = Focus(event.payload["item"]["id"], event.kind)
            elif event.kind in (ev.SESSION_CLOSED, ev.SESSION_REOPENED):
                focus = Focus(None, event.kind)
        return focus


@dataclass(frozen=True)
class Quorum:
    participating: int
    required: int
    base: int
    met: bool

    @property
    def words(self) -> str:
        return "QUORUM ✔ MET" if self.met else "QUORUM ✘ NOT MET"

    @property
    def figure(self) -> str:
        return f"{self.participating}/{self.required}"

    @property
    def tone(self) -> str:
        return GOOD if self.met else BAD


@dataclass(frozen=True)
class VotePanel:
    """A roll-call item: live while open, final once closed."""

    item_id: str
    position: str  # "item 4 of 12"
    title: str
    rule: str  # the threshold in words, with its article
    open: bool
    quorum: Quorum
    yes: int
    no: int
    abstain: int
    not_voting: int  # answered "not voting", a letter silent on the item, or (closed) never called
    uncalled: int  # open votes: present members not called yet (0 once closed)
    cast: int
    cast_words: str  # what "cast" adds up ("yes + no")
    required_yes: int
    needed_of: str  # what required_yes is counted against: "of 49 cast" (verdict.needed_of)
    outcome: str  # the verdict's symbol and words, e.g. "✔ CARRIED", "● NOT DECIDED YET"
    outcome_tone: str  # the verdict's tone (good, bad, warn, live, plain)
    outcome_note: str  # the verdict's reason, with the figures behind it
    calling: str  # the member being called, or what happens next
    calling_name: str  # just the member's name, drawn large ("" when nobody is being called)
    calling_native: str = ""  # the name in the member's own script, shown under it ("" when none)


@dataclass(frozen=True)
class AgendaLine:
    item_id: str
    title: str
    kind: str
    result: str  # the item's verdict, symbol and words, e.g. "✔ CARRIED"
    figures: str  # "45 · 0 · 2" (yes · no · abstain) for roll calls, else ""
    tone: str
    current: bool
    added: bool = False  # an addendum: added to the agenda during the session


@dataclass(frozen=True)
class Board:
    title: str
    venue: str
    mode: str  # "vote" (one item's roll call) or "agenda" (between items)
    vote: VotePanel | None
    agenda: tuple[AgendaLine, ...]
    quorum: Quorum  # the session's attendance, as of now
    attendance: str  # "in person 29 · online 0 · by letter 21 · absent 28"
    status: str  # "SESSION OPEN" / "SESSION CLOSED"
    seq: int


def session_quorum(state: SessionState) -> Quorum:
    """The session's quorum as of now, the figures the clerk's session bar shows."""
    participating, base = state.session_participation()
    return Quorum(participating, charter.quorum_required(base), base, charter.quorum_met(participating, base))


def _member_name(state: SessionState, member_id: str) -> str:
    """The English name and country: what the block font may draw large (ASCII only)."""
    member = state.members[member_id]
    return f"{member.name} ({member.country})"


def vote_panel(state: SessionState, item_id: str) -> VotePanel:
    item = state.items[item_id]
    tally = state.tally(item_id)  # frozen once closed: exactly the record's figures
    is_open = item.status == "open"
    said = verdict(tally)
    note = said.reason
    calling_name = calling_native = ""
    if is_open:
        calling_id = state.now_calling(item_id)
        if calling_id is not None:
            member = state.members[calling_id]
            calling_name = _member_name(state, calling_id)
            calling_native = member.native_name or ""
            calling = f"▶ NOW CALLING  {member.full_name} ({member.country})"
        else:
            calling = "■ EVERY PRESENT MEMBER HAS ANSWERED — the vote can be closed"
    else:
        admitted = [state.members[m].full_name for m, by in state.admitted.items() if by == item_id]
        if admitted:
            note += " · admitted: " + ", ".join(admitted)
        calling = "■ VOTE CLOSED"
    abstentions_cast = state.rules.abstentions_count_as_cast
    position = state.item_order.index(item_id) + 1
    return VotePanel(
        item_id=item_id,
        position=f"ITEM {item_id} · {position} of {len(state.item_order)}",
        title=item.item.title,
        rule=rule_words(item.item.article, tally.rule, abstentions_cast, tally.reading),
        open=is_open,
        quorum=Quorum(tally.participating, tally.quorum_required, tally.quorum_base, tally.quorum_met),
        yes=tally.yes, no=tally.no, abstain=tally.abstain,
        not_voting=tally.not_voting, uncalled=tally.uncalled,
        cast=tally.cast,
        cast_words="yes + no + abstain" if abstentions_cast else "yes + no",
        required_yes=tally.required_yes, needed_of=needed_of(tally),
        outcome=said.label, outcome_tone=said.tone, outcome_note=note,
        calling=calling, calling_name=calling_name, calling_native=calling_native,
    )


def agenda_line(state: SessionState, item_id: str, current: bool) -> AgendaLine:
    item = state.items[item_id]
    said = item_verdict(state, item_id)
    result = f"{said.label}: {said.reason}" if said.code == "elected" else said.label
    if item.status in SET_ASIDE and item.reason:
        result = f"{said.label}: {item.reason}"  # the hall reads why it is not taken up
    figures = ""
    if item.item.kind == "decision" and item.status in ("open", "closed"):  # a set-aside item was never voted
        tally = state.tally(item_id)
        figures = f"{tally.yes} · {tally.no} · {tally.abstain}"
    return AgendaLine(item_id, item.item.title, item.item.kind, result, figures, said.tone, current, item.added)


def build_board(state: SessionState, focus: Focus = Focus()) -> Board:
    """The chair's screen for ``state``.

    The open roll call if there is one; otherwise the roll call the clerk just
    closed, kept up until the clerk moves to another item (so the chair can
    read out the result); otherwise the agenda with the outcomes so far.
    """
    assert state.definition is not None
    info = state.definition.session
    current = state.open_item
    if current is None and focus.kind in (ev.VOTE_CLOSED, ev.MEMBER_ADMITTED):
        current = focus.item_id
    highlight = current or focus.item_id
    figures = state.session_figures()
    return Board(
        title=info.title,
        venue=f"{info.venue} · {info.opens.isoformat()}",
        mode="vote" if current is not None else "agenda",
        vote=vote_panel(state, current) if current is not None else None,
        agenda=tuple(agenda_line(state, i, i == highlight) for i in state.item_order),
        quorum=session_quorum(state),
        attendance=(f"in person {figures['in_person']} · online {figures['online']} · "
                    f"by letter {figures['letter']} · absent {figures['absent']}"),
        status="■ SESSION CLOSED" if state.closed else "● SESSION OPEN",
        seq=state.last_seq,
    )
