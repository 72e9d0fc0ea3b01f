"""Session state, derived only by folding the log's events (no I/O, no Textual).

``SessionState.check(kind, payload)`` says whether an action is allowed now
(raising ``RuleError`` with a sentence for the clerk); ``apply(event)`` folds
an event that was allowed. The session service, the imports and the views all
go through these two, so a rule is enforced in one place. Which check and which
fold each event kind has is written out in ``CHECKS`` and ``FOLDS`` at the end.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from . import charter, events as ev, payloads as pl, seats
from .countries import country_names
from .definition import ItemInvalid, SessionDefinition, item_problem, parse_item
from .errors import RuleError, StorageError
from .payloads import (
    AttendanceMode,
    CallOrder,
    EntryKind,
    ItemStatus,
    Outcome,
    Position,
    Result,
    SetAside,
    Source,
    Standing,
    Vote,
    words,
)
from .schema import Item, Member, Rules, check_display_text

ATTENDANCE_MODES = words(AttendanceMode)
PRESENT_MODES: tuple[AttendanceMode, ...] = ("in_person", "online")
POSITIONS = words(Position)
VOTES = words(Vote)
CALL_ORDERS = words(CallOrder)
STANDINGS = words(Standing)
# Items taken off this session's agenda (docs/rules.md, "Agenda changes during the session"):
# never voted or recorded, never pending, never "not taken up".
SET_ASIDE = words(SetAside)


@dataclass
class Letter:
    """A written decision letter: the member's position on the items it names."""

    member_id: str
    positions: dict[str, Position]
    recorded_seq: int
    # Set when the member is later marked present: from then on it votes in person.
    superseded_seq: int | None = None

    @property
    def in_effect(self) -> bool:
        return self.superseded_seq is None


class ItemRefused(RuleError):
    """An addendum refused; ``key`` names the item field at fault ("title", "article", "after"...),
    so a form or a command line can point at its own field."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Refusal:
    """Why the rules refuse an action now: ``code`` names the rule, so a surface can say its own way out."""

    code: str  # letters: not_a_member | restricted | present
    why: str
    remedy: str | None = None  # the way out in general words (e.g. for the CLI imports)

    def __str__(self) -> str:
        return self.why if self.remedy is None else f"{self.why} — {self.remedy}"


@dataclass(frozen=True)
class Tally:
    """One item's figures; every surface (clerk, chair, board, report, record, declaration) reads these.

    ``yes``, ``no``, ``abstain``, ``not_voting`` and ``uncalled`` are disjoint and add up
    to the entitled members taking part. Once the vote is closed nobody is "uncalled":
    a present member the clerk never called did not vote (docs/rules.md, "Closing a vote").
    """

    item_id: str
    rule: str | None
    status: ItemStatus
    quorum_base: int
    participating: int
    quorum_required: int
    quorum_met: bool
    yes: int
    no: int
    abstain: int
    not_voting: int  # answered "not voting", a letter silent on the item, or (closed) never called
    uncalled: int  # open votes only: present members the clerk has not called yet (0 once closed)
    cast: int
    required_yes: int
    outcome: Outcome
    decided: Outcome | None  # while open: the outcome once it can no longer change
    # Subcommittee Regs Art. 5.8 items only: the reading that decides ("votes_cast" or
    # "members_with_vote"); None for every Charter Art. 9 decision (docs/rules.md).
    reading: str | None = None
    # Reading "members_with_vote" only: the members with the right to vote on the roster at that
    # moment, absent ones included: the count the majority is taken of (``required_yes``).
    members_with_vote: int | None = None

    @classmethod
    def from_payload(cls, payload: Any) -> Tally:
        """A tally carried by a close event; logs written before 0.2 counted the uncalled apart."""
        fields = dict(payload)
        if fields.get("status") == "closed" and fields.get("uncalled"):
            # Old close events kept ``uncalled`` inside ``not_voting``: nobody is uncalled after a close.
            fields["uncalled"] = 0
        return cls(**fields)


@dataclass
class VoteEntry:
    seq: int
    member_id: str
    vote: Vote | None  # None: an undo back to "not called"
    kind: EntryKind
    recorded_at: str
    undo_of: int | None = None  # the entry this one undid (backspace)


@dataclass(frozen=True)
class AnswerChange:
    """An entry that changed an answer already on record: ``corrected`` (a new answer over the one
    the member had) or ``undone`` (backspace); ``before`` is the answer it replaced."""

    entry: VoteEntry
    before: Vote
    what: Literal["corrected", "undone"]


@dataclass
class ItemState:
    item: Item
    status: ItemStatus = "pending"
    order: CallOrder = "roster"
    start: str | None = None
    votes: dict[str, Vote] = field(default_factory=dict)  # explicit answers, letters aside
    history: list[VoteEntry] = field(default_factory=list)
    frozen: Tally | None = None
    # Non-roll-call items.
    result: Result | None = None
    elected: tuple[str, ...] = ()
    # Agenda changes during the session: an addendum, and why an item was
    # withdrawn or postponed (None otherwise).
    added: bool = False
    reason: str | None = None


class SessionState:
    """The whole session as of the last folded event."""

    def __init__(self) -> None:
        self.definition: SessionDefinition | None = None
        self.members: dict[str, Member] = {}
        self.attendance: dict[str, AttendanceMode] = {}
        self.attendance_seq: dict[str, int] = {}  # the event of each member's latest attendance change
        self.letters: dict[str, Letter] = {}
        self.items: dict[str, ItemState] = {}
        self.item_order: list[str] = []
        self.closed = False
        self.last_seq = 0
        self.head = ev.GENESIS
        self.admitted: dict[str, str] = {}  # member id -> item that admitted it
        self.draws: dict[str, str] = {}  # item id -> member drawn by lot
        self.seats: dict[str, str] = {}  # seat key id -> the seat's name (docs/seats.md)
        # True for a state folded without the votes of closed items (see SessionLog.read_summary):
        # their tallies come from the close events; their member-by-member record is not here.
        self.summarised = False

    @classmethod
    def from_events(cls, events: Iterable[ev.Event], summarised: bool = False) -> SessionState:
        state = cls()
        state.summarised = summarised
        for event in events:
            state.apply(event)
        return state

    def copy(self) -> SessionState:
        return copy.deepcopy(self)

    # ------------------------------------------------------------------ reading
    @property
    def rules(self) -> Rules:
        assert self.definition is not None
        return self.definition.rules

    @property
    def country_names(self) -> dict[str, str]:
        """Code → name for every document: the six NEAR countries' defaults, the session's own over them."""
        return country_names(self.definition.countries if self.definition is not None else ())

    @property
    def open_item(self) -> str | None:
        for item_id in self.item_order:
            if self.items[item_id].status == "open":
                return item_id
        return None

    def mode(self, member_id: str) -> AttendanceMode:
        return self.attendance.get(member_id, "absent")

    def is_present(self, member_id: str) -> bool:
        return self.mode(member_id) in PRESENT_MODES

    def letter_in_effect(self, member_id: str) -> Letter | None:
        letter = self.letters.get(member_id)
        return letter if letter is not None and letter.in_effect else None

    def is_participating(self, member_id: str) -> bool:
        """Counts toward quorum: in person, online, or by a letter in effect (docs/rules.md, "Written decision letters")."""
        return self.is_present(member_id) or self.letter_in_effect(member_id) is not None

    def standing(self, member_id: str) -> Standing:
        """How the member stands now: in_person, online, letter (absent with a letter in effect) or absent.

        The one answer for every screen, the report's attendance figures and the record's
        attendance column: a letter stops counting once its member is marked present.
        """
        if self.is_present(member_id):
            return self.mode(member_id)
        return "letter" if self.letter_in_effect(member_id) is not None else "absent"

    def letter_refusal(self, member_id: str) -> Refusal | None:
        """Why a letter from ``member_id`` may not be recorded now, or None if it may (docs/rules.md).

        The core's check of a recorded letter and the clerk's letters screen (before its dialog
        opens) both ask here, so they refuse the same members for the same reason.
        """
        member = self._member(member_id)
        if not charter.is_member(member):
            return Refusal("not_a_member", f"{member.name} is {_a(member.status)}, and only members decide by letter")
        if not charter.may_vote(member):
            return Refusal("restricted",
                           f"{member.name}'s vote is restricted (Fee Regs Art. 6); its letter would not count")
        if self.is_present(member.id):
            return Refusal("present", f"{member.name} is marked present and votes in person",
                           "mark it absent before recording a letter")
        return None

    def roster_members(self) -> list[Member]:
        return [m for m in self.members.values() if charter.is_member(m)]

    def call_order(self, item_id: str) -> list[str]:
        """Members entitled to vote, in the item's call order (Art. 9.1)."""
        item = self.items[item_id]
        voters = [m for m in self.members.values() if charter.may_vote(m)]
        if item.order == "alphabetical":
            voters.sort(key=lambda m: (m.name.casefold(), m.id))
            if item.start is not None:
                ids = [m.id for m in voters]
                if item.start in ids:
                    i = ids.index(item.start)
                    voters = voters[i:] + voters[:i]
        return [m.id for m in voters]

    def position(self, item_id: str, member_id: str) -> tuple[Vote | None, Source]:
        """(answer, source): source is 'recorded', 'letter', 'no_letter_position' or 'uncalled'.

        On a withdrawn or postponed item nobody has an answer (None, 'uncalled'): a letter's
        position on it never counts, as its tally says.
        """
        item = self.items[item_id]
        if member_id in item.votes:
            return item.votes[member_id], "recorded"
        if item.status in SET_ASIDE:
            return None, "uncalled"
        letter = self.letter_in_effect(member_id)
        if letter is not None and not self.is_present(member_id):
            pos = letter.positions.get(item_id)
            return (pos, "letter") if pos else ("not_voting", "no_letter_position")
        return None, "uncalled"

    def answer_changes(self, item_id: str) -> list[AnswerChange]:
        """Every correction and every undo on the item, in log order, with the answer each replaced.

        A first answer is neither, also one given anew after an undo took the member back to no
        answer, and so is a letter member's answer in the room, which sets its letter aside
        (docs/decisions.md, "Roll calls"). The clerk's "corrected" label, the record's counts and
        the minutes' lists all come from here.
        """
        changes: list[AnswerChange] = []
        answer: dict[str, Vote | None] = {}
        for h in self.items[item_id].history:
            before = answer.get(h.member_id)
            if before is not None:
                changes.append(AnswerChange(h, before, "undone" if h.undo_of is not None else "corrected"))
            answer[h.member_id] = h.vote
        return changes

    def corrected_members(self, item_id: str) -> set[str]:
        """Members whose answer on record replaced an earlier answer of theirs: a correction that
        no undo took back (an undone correction leaves the earlier answer standing)."""
        changes = self.answer_changes(item_id)
        undone = {c.entry.undo_of for c in changes if c.what == "undone"}
        return {c.entry.member_id for c in changes if c.what == "corrected" and c.entry.seq not in undone}

    def now_calling(self, item_id: str) -> str | None:
        """The member being called: the first present member in call order with no answer on record.

        Derived from the log alone, never stored (docs/rules.md, "Who is being called"): the
        clerk, a second seat, the chair and the board all compute it here, so they agree at every
        moment, and after an answer out of order the call goes back to the first member not yet
        answered. None when the vote is not open or every present member has answered.
        """
        item = self.items[item_id]
        if item.status != "open":
            return None
        for member_id in self.call_order(item_id):
            if self.is_present(member_id) and member_id not in item.votes:
                return member_id
        return None

    def call_list(self, item_id: str) -> list[str]:
        """The members on the item's call list, in call order: a member admitted by this very item
        was not yet a member while it was voted, so it is not on it."""
        return [m for m in self.call_order(item_id) if self.admitted.get(m) != item_id]

    def call_progress(self, item_id: str) -> tuple[int, int]:
        """(answered, present) of a roll call: how far the calling has gone, as the clerk reads it.

        ``present`` is the members on the call list who are present now or whose answer is on
        record (one who answered and left took part); ``answered`` is those with an answer on
        record. A letter member who stays away is in neither: it is not called.
        """
        item = self.items[item_id]
        answered = present = 0
        for member_id in self.call_list(item_id):
            if member_id in item.votes:
                answered += 1
                present += 1
            elif self.is_present(member_id):
                present += 1
        return answered, present

    def session_participation(self) -> tuple[int, int]:
        """(participating, quorum base) of the session as of now: the members on the roster, in
        person, online or by a letter in effect (docs/rules.md, quorum). Every session-wide quorum
        figure, on the clerk's screens and the chair's, comes from here."""
        base = participating = 0
        for member in self.members.values():
            if charter.in_quorum_base(member, self.rules):
                base += 1
                participating += self.is_participating(member.id)
        return participating, base

    def takes_part(self, item_id: str, member_id: str) -> bool:
        """Counts toward the item's quorum: participating now, or with any answer on record.

        A member whose answer (yes, no, abstain or not voting) is on record was there when it
        answered, so it stays counted for this item even if it is marked absent later.
        """
        return self.is_participating(member_id) or member_id in self.items[item_id].votes

    def tally(self, item_id: str) -> Tally:
        item = self.items[item_id]
        if item.frozen is not None:
            return item.frozen
        return self._live_tally(item_id)

    def closing_tally(self, item_id: str) -> Tally:
        """The tally this open item would freeze with if its vote were closed now."""
        return self._live_tally(item_id, status="closed")

    def _live_tally(self, item_id: str, status: ItemStatus | None = None) -> Tally:
        item = self.items[item_id]
        status = status or item.status
        rules = self.rules
        rule = charter.rule_for_article(item.item.article)
        reading = charter.sub58_reading(item.item.article, rules)
        base = participating = 0
        counts: dict[Vote, int] = {"yes": 0, "no": 0, "abstain": 0, "not_voting": 0}
        uncalled = 0
        # A withdrawn or postponed item is never voted: no answer counts (a letter's neither).
        aside = item.status in SET_ASIDE
        for member in self.members.values():
            if not charter.in_quorum_base(member, rules):
                continue
            base += 1
            if not self.takes_part(item_id, member.id):
                continue
            participating += 1
            if aside or not charter.may_vote(member):
                continue
            answer, source = self.position(item_id, member.id)
            if source != "uncalled" and answer is not None:  # an answer on record or by letter
                counts[answer] += 1
            elif status == "closed":
                counts["not_voting"] += 1  # never called before the close: did not vote
            else:
                uncalled += 1
        cast = charter.votes_cast(counts["yes"], counts["no"], counts["abstain"], rules)
        met = charter.quorum_met(participating, base)
        # The literal Art. 5.8 reading takes the majority of the members with a vote, not of the cast.
        of_members = None
        if reading == charter.MEMBERS_WITH_VOTE:
            of_members = sum(1 for m in self.members.values() if charter.has_right_to_vote(m))
        decided: Outcome | None = None
        if rule is not None and met and status == "open":
            decided = charter.certain_outcome(rule, counts["yes"], counts["no"], counts["abstain"], uncalled, rules,
                                              of_members_with_vote=of_members)
        outcome: Outcome
        if item.status == "withdrawn" or item.status == "postponed":  # set aside
            outcome = item.status
        elif rule is None or status != "closed":
            outcome = "pending"
        elif not met:
            outcome = "no_quorum"
        else:
            carried = charter.is_carried(rule, counts["yes"], cast, of_members_with_vote=of_members)
            outcome = "carried" if carried else "not_carried"
        return Tally(
            item_id=item_id, rule=rule, status=status, quorum_base=base,
            participating=participating, quorum_required=charter.quorum_required(base),
            quorum_met=met, yes=counts["yes"], no=counts["no"], abstain=counts["abstain"],
            not_voting=counts["not_voting"], uncalled=uncalled, cast=cast,
            required_yes=charter.required_yes(rule, cast, of_members_with_vote=of_members) if rule else 0,
            outcome=outcome, decided=decided, reading=reading, members_with_vote=of_members,
        )

    def session_figures(self) -> dict[Standing, int]:
        """Attendance of members (associates and observers apart), as of now."""
        figures = cast(dict[Standing, int], dict.fromkeys(STANDINGS, 0))
        for member in self.roster_members():
            figures[self.standing(member.id)] += 1
        return figures

    # ---------------------------------------------------------------- checking
    def check(self, kind: str, payload: dict[str, Any]) -> None:
        """Raise RuleError if ``kind`` with ``payload`` may not be recorded now."""
        rule = CHECKS.get(kind)
        if rule is None:
            raise RuleError(f"unknown action {kind!r}")
        if kind != ev.SESSION_OPENED:
            if self.definition is None:
                raise RuleError("no session in this database — create one with `near-tui new AGENDA --db DB`")
            # A seat may join a closed session: the seat that reopens it signs the reopening.
            if self.closed and kind not in (ev.SESSION_REOPENED, ev.SEAT_JOINED):
                raise RuleError("the session is closed — reopen it explicitly before recording anything")
        rule(self, payload)

    def _check_session_opened(self, p: dict[str, Any]) -> None:
        if self.definition is not None:
            raise RuleError("this database already holds a session — use a new --db file")

    def _member(self, member_id: str) -> Member:
        member = self.members.get(member_id)
        if member is None:
            raise RuleError(f"{member_id!r} is not on the roster — check the member id")
        return member

    def _item(self, item_id: str) -> ItemState:
        state = self.items.get(item_id)
        if state is None:
            raise RuleError(f"there is no agenda item {item_id!r} — check the item id")
        return state

    def _check_attendance_set(self, p: dict[str, Any]) -> None:
        self._member(p["member_id"])
        if p["mode"] not in ATTENDANCE_MODES:
            raise RuleError(f"attendance mode {p['mode']!r} is unknown — use in_person, online or absent")

    def _check_letter_recorded(self, p: dict[str, Any]) -> None:
        refusal = self.letter_refusal(p["member_id"])
        if refusal is not None:
            raise RuleError(str(refusal))
        positions = p["positions"]
        if not positions:
            raise RuleError("a letter must give a position on at least one item")
        held = self.letter_in_effect(p["member_id"])
        if held is not None and held.positions == positions:
            # A second save of the same letter (enter pressed again) would list it twice in the minutes.
            raise RuleError(f"{self.members[p['member_id']].name}'s letter with these positions is already on "
                            "record — nothing to record")
        for item_id, position in positions.items():
            item = self._item(item_id)
            if item.item.kind != "decision":
                raise RuleError(f"item {item_id!r} is {_a(item.item.kind)}, not a decision — a letter cannot vote on it")
            if item.status == "closed":
                raise RuleError(f"the vote on item {item_id!r} is closed — a letter can no longer count on it")
            self._not_set_aside(item, "leave its position out of the letter")
            if position not in POSITIONS:
                raise RuleError(f"position {position!r} is unknown — use yes, no or abstain")

    def _check_letter_withdrawn(self, p: dict[str, Any]) -> None:
        member = self._member(p["member_id"])
        if member.id not in self.letters:
            raise RuleError(f"{member.name} has no letter on record")

    def _not_set_aside(self, item: ItemState, fix: str) -> None:
        """Refuse any vote or result on an item withdrawn or postponed (docs/rules.md)."""
        if item.status in SET_ASIDE:
            raise RuleError(f"item {item.item.id!r} was {item.status} ({item.reason}) — {fix}")

    def _check_vote_opened(self, p: dict[str, Any]) -> None:
        item = self._item(p["item_id"])
        self._not_set_aside(item, "it cannot be voted at this session; add a new item (its own id) "
                                  "if the assembly takes it up after all")
        if item.item.kind != "decision":
            raise RuleError(f"item {item.item.id!r} is {_a(item.item.kind)}; only decisions go to a roll call")
        if item.status != "pending":
            raise RuleError(f"the vote on item {item.item.id!r} is already {item.status}")
        current = self.open_item
        if current is not None:
            raise RuleError(f"the vote on item {current!r} is still open — close it first")
        if p.get("order", "roster") not in CALL_ORDERS:
            raise RuleError(f"call order {p.get('order')!r} is unknown — use roster or alphabetical")
        start = p.get("start")
        if start is not None:
            member = self._member(start)
            if not charter.may_vote(member):
                raise RuleError(f"{member.name} is not called, so the roll call cannot start from it")

    def _check_vote_recorded(self, p: dict[str, Any], correcting: bool = False) -> None:
        item = self._item(p["item_id"])
        self._not_set_aside(item, "it cannot be voted at this session")
        if item.status != "open":
            state = "not open yet" if item.status == "pending" else "closed"
            raise RuleError(f"the vote on item {item.item.id!r} is {state}")
        member = self._member(p["member_id"])
        if not charter.is_member(member):
            raise RuleError(f"{member.name} is {_a(member.status)} and has no vote (Charter Art. 5-2, 9.1)")
        if not charter.may_vote(member):
            raise RuleError(f"{member.name}'s vote is restricted (Fee Regs Art. 6) — it is not called")
        vote = p.get("vote")
        if correcting and vote is None:
            if member.id not in item.votes:
                raise RuleError(f"{member.name} has no recorded answer on item {item.item.id!r} to undo")
            return
        if vote not in VOTES:
            raise RuleError(f"vote {vote!r} is unknown — use yes, no, abstain or not_voting")
        if not correcting and member.id in item.votes:
            # A second first answer would hide the change: a change of answer is a correction.
            said = item.votes[member.id].upper().replace("_", " ")
            raise RuleError(f"{member.name} has already answered {said} on item {item.item.id!r} — "
                            "select the row to correct it")
        if not self.is_participating(member.id) and member.id not in item.votes:
            raise RuleError(f"{member.name} is marked absent and sent no letter — mark it present first")

    def _check_vote_corrected(self, p: dict[str, Any]) -> None:
        self._check_vote_recorded(p, correcting=True)
        undo_of = p.get("undo_of")
        if undo_of is not None:
            entries = {h.seq: h for h in self.items[p["item_id"]].history}
            if undo_of not in entries or entries[undo_of].member_id != p["member_id"]:
                raise RuleError(f"entry {undo_of} is not an answer of {p['member_id']!r} on this item")

    def _check_vote_closed(self, p: dict[str, Any]) -> None:
        item = self._item(p["item_id"])
        if item.status != "open":
            raise RuleError(f"the vote on item {item.item.id!r} is not open")
        if "tally" in p:
            try:
                # Read as a reader reads it: a close event written before a Tally field existed lacks it.
                given = Tally.from_payload(p["tally"])
            except (TypeError, ValueError):
                given = None
            if given != self.closing_tally(item.item.id):
                raise RuleError(f"the tally given for item {item.item.id!r} does not match the recorded votes")

    def _check_member_admitted(self, p: dict[str, Any]) -> None:
        item = self._item(p["item_id"])
        tally = self.tally(item.item.id)
        if item.item.article != "8.1" or tally.outcome != "carried":
            raise RuleError(f"item {item.item.id!r} has not carried an admission (Charter Art. 8.1)")
        for member_id in p["member_ids"]:
            if member_id not in item.item.admits:
                raise RuleError(f"item {item.item.id!r} does not admit {member_id!r}")
            if self._member(member_id).status != "applicant":
                raise RuleError(f"{member_id!r} is not an applicant")

    def _check_item_noted(self, p: dict[str, Any]) -> None:
        item = self._item(p["item_id"])
        self._not_set_aside(item, "nothing can be recorded on it at this session")
        if item.item.kind not in ("report", "presentation"):
            raise RuleError(f"item {item.item.id!r} is {_a(item.item.kind)}; only reports and presentations are noted")

    def _check_consensus_recorded(self, p: dict[str, Any]) -> None:
        item = self._item(p["item_id"])
        self._not_set_aside(item, "nothing can be recorded on it at this session")
        if item.item.kind != "consensus":
            raise RuleError(f"item {item.item.id!r} is {_a(item.item.kind)}, not a consensus item")
        if not isinstance(p.get("adopted"), bool):
            raise RuleError("say whether the item was adopted (true or false)")

    def _check_election_recorded(self, p: dict[str, Any]) -> None:
        item = self._item(p["item_id"])
        self._not_set_aside(item, "nothing can be recorded on it at this session")
        if item.item.kind != "election":
            raise RuleError(f"item {item.item.id!r} is {_a(item.item.kind)}, not an election")
        elected = p.get("elected") or []
        if not 1 <= len(elected) <= item.item.seats:
            raise RuleError(f"item {item.item.id!r} elects 1 to {item.item.seats} member(s), not {len(elected)}")
        for member_id in elected:
            member = self._member(member_id)
            if not charter.is_member(member):
                raise RuleError(f"{member.name} is {_a(member.status)} and cannot be elected (Charter Art. 5-2)")

    def pending_items(self) -> list[str]:
        """Items neither voted nor recorded yet, in agenda order.

        A withdrawn or a postponed item is not pending: it was taken off this session's agenda
        (a postponed one goes to a later session), so the close neither waits for it nor
        declares it "not taken up" (docs/rules.md, "Agenda changes during the session").
        """
        return [i for i in self.item_order if self.items[i].status == "pending"]

    def _check_session_closed(self, p: dict[str, Any]) -> None:
        current = self.open_item
        if current is not None:
            raise RuleError(f"the vote on item {current!r} is still open — close it before closing the session")
        # Items left pending must be named in the close, so a close never leaves one out by accident.
        pending = self.pending_items()
        if pending and sorted(p.get("left_pending", [])) != sorted(pending):
            raise RuleError(f"item(s) {', '.join(pending)} still pending — record them first, or close with "
                            "--leave-pending to declare them not taken up")

    def _check_session_reopened(self, p: dict[str, Any]) -> None:
        if not self.closed:
            raise RuleError("the session is not closed")

    def _check_seat_joined(self, p: dict[str, Any]) -> None:
        name = p.get("seat")
        if not isinstance(name, str) or not name.strip():
            raise RuleError("a seat joins under a name")
        try:
            ident = seats.key_id(seats.public_from_payload(p))
        except ValueError as exc:
            raise RuleError(f"seat {name}: {exc}") from None
        if ident in self.seats:
            raise RuleError(f"seat key {ident} has already joined this session")

    # Agenda changes during the session (docs/rules.md, "Agenda changes during the session").
    def added_item(self, data: Any) -> Item:
        """The addendum ``data`` (an item mapping) validated as an agenda file's item is, or RuleError.

        The same checks and words as ``near-tui check`` (``definition.item_problem``), against the
        roster as it stands now and the items already on the agenda.
        """
        assert self.definition is not None  # the session-opened event comes first
        try:
            item = parse_item(data, self.definition.session.languages)
        except ItemInvalid as exc:
            raise ItemRefused(str(exc), exc.key) from None
        if item.id in self.items:
            raise ItemRefused(f"item id {item.id!r} is already on the agenda — give the addendum its own id", "id")
        # Applicants another item admits (a withdrawn or postponed item no longer admits anyone).
        claimed = {a: i for i in self.item_order if self.items[i].status not in SET_ASIDE
                   for a in self.items[i].item.admits}
        problem = item_problem(item, self.members, claimed, self.definition.session.body)
        if problem is not None:
            raise ItemRefused(problem[1], problem[0])
        return item

    def _check_after(self, after: Any, moving: str | None = None) -> None:
        if after is None and moving is None:
            return  # an addendum without `after` goes to the end of the agenda
        if not isinstance(after, str) or after not in self.items:
            known = ", ".join(self.item_order)
            raise ItemRefused(f"there is no agenda item {after!r} to go after — name one of {known}", "after")
        if after == moving:
            raise ItemRefused(f"item {moving!r} cannot be moved after itself — name another item", "after")

    def _check_item_added(self, p: dict[str, Any]) -> None:
        self.added_item(p.get("item"))
        self._check_after(p.get("after"))

    def _changed_item(self, item_id: Any) -> ItemState:
        """The item an agenda change names; refused with ``key`` "item" (the --item flag)."""
        try:
            return self._item(item_id)
        except RuleError as exc:
            raise ItemRefused(str(exc), "item") from None

    def _check_set_aside(self, p: dict[str, Any], what: str, verb: str) -> None:
        item = self._changed_item(p.get("item_id"))
        if item.status in SET_ASIDE:
            raise ItemRefused(f"item {item.item.id!r} is already {item.status} — there is nothing to {verb}", "item")
        if item.status != "pending" or item.history or item.result is not None:
            taken = "open" if item.status == "open" else "already decided or recorded"
            raise ItemRefused(f"item {item.item.id!r} is {taken} — only an item not yet taken up can be {what}; "
                            "a decision taken stands (add a new item to revisit it)", "item")
        try:
            check_display_text(p.get("reason"), "the reason")
        except ValueError as exc:
            raise ItemRefused(str(exc), "reason") from None

    def _check_item_withdrawn(self, p: dict[str, Any]) -> None:
        self._check_set_aside(p, "withdrawn", "withdraw")

    def _check_item_postponed(self, p: dict[str, Any]) -> None:
        self._check_set_aside(p, "postponed", "postpone")

    def _check_item_moved(self, p: dict[str, Any]) -> None:
        item = self._changed_item(p.get("item_id"))
        if item.status != "pending":
            raise ItemRefused(f"item {item.item.id!r} is {item.status} — only an item still to come can be moved", "item")
        self._check_after(p.get("after"), moving=item.item.id)

    # ---------------------------------------------------------------- applying
    def apply(self, event: ev.Event) -> None:
        fold = FOLDS.get(event.kind)
        if fold is None:
            raise StorageError(f"event {event.seq} is of kind {event.kind!r}, which this version of near-tui "
                               "does not know — read the log with the version that wrote it")
        fold(self, event)
        self.last_seq = event.seq
        self.head = event.hash

    # Each fold reads its event's payload as the type payloads.py gives that kind (no copy, no check:
    # the event was checked before it was written).
    def _apply_session_opened(self, e: ev.Event) -> None:
        self.definition = SessionDefinition.from_payload(e.payload)
        self.members = {m.id: m for m in self.definition.members}
        self.items = {i.id: ItemState(item=i) for i in self.definition.items}
        self.item_order = [i.id for i in self.definition.items]

    def _apply_attendance_set(self, e: ev.Event) -> None:
        p = cast(pl.AttendanceSet, e.payload)
        member_id, mode = p["member_id"], p["mode"]
        self.attendance[member_id] = mode
        self.attendance_seq[member_id] = e.seq
        letter = self.letters.get(member_id)
        if mode in PRESENT_MODES and letter is not None and letter.in_effect:
            letter.superseded_seq = e.seq

    def _apply_letter_recorded(self, e: ev.Event) -> None:
        p = cast(pl.LetterRecorded, e.payload)
        self.letters[p["member_id"]] = Letter(p["member_id"], dict(p["positions"]), e.seq)

    def _apply_letter_withdrawn(self, e: ev.Event) -> None:
        p = cast(pl.LetterWithdrawn, e.payload)
        self.letters.pop(p["member_id"], None)

    def _apply_vote_opened(self, e: ev.Event) -> None:
        p = cast(pl.VoteOpened, e.payload)
        item = self.items[p["item_id"]]
        item.status = "open"
        item.order = p.get("order", "roster")
        item.start = p.get("start")
        if item.start is not None:
            self.draws[item.item.id] = item.start

    def _apply_vote_recorded(self, e: ev.Event) -> None:
        # A first answer, or a correction (whose vote None takes the answer back: an undo).
        p = cast(pl.VoteCorrected, e.payload)
        item = self.items[p["item_id"]]
        kind: EntryKind = "recorded" if e.kind == ev.VOTE_RECORDED else "corrected"
        vote = p.get("vote")
        if vote is None:
            item.votes.pop(p["member_id"], None)
        else:
            item.votes[p["member_id"]] = vote
        # The stated time (``--at``) when the answer was replayed from papers, else the log's clock.
        item.history.append(VoteEntry(e.seq, p["member_id"], vote, kind, ev.stated_time(e), p.get("undo_of")))

    def _apply_vote_closed(self, e: ev.Event) -> None:
        p = cast(pl.VoteClosed, e.payload)
        item = self.items[p["item_id"]]
        if self.summarised:
            # A summary fold skipped this item's votes: the close event carries the tally.
            item.frozen = Tally.from_payload(p["tally"])
        else:
            item.frozen = self.closing_tally(item.item.id)
        item.status = "closed"

    def _apply_member_admitted(self, e: ev.Event) -> None:
        p = cast(pl.MemberAdmitted, e.payload)
        for member_id in p["member_ids"]:
            member = self.members[member_id]
            self.members[member_id] = replace(member, status="member", voting="full")
            self.admitted[member_id] = p["item_id"]

    def _apply_item_noted(self, e: ev.Event) -> None:
        item = self.items[cast(pl.ItemNoted, e.payload)["item_id"]]
        item.status, item.result = "closed", "noted"

    def _apply_consensus_recorded(self, e: ev.Event) -> None:
        p = cast(pl.ConsensusRecorded, e.payload)
        item = self.items[p["item_id"]]
        item.status = "closed"
        item.result = "adopted" if p["adopted"] else "not_adopted"

    def _apply_election_recorded(self, e: ev.Event) -> None:
        p = cast(pl.ElectionRecorded, e.payload)
        item = self.items[p["item_id"]]
        item.status, item.result = "closed", "elected"
        item.elected = tuple(p["elected"])

    def _apply_session_closed(self, e: ev.Event) -> None:
        self.closed = True

    def _apply_session_reopened(self, e: ev.Event) -> None:
        self.closed = False

    def _apply_seat_joined(self, e: ev.Event) -> None:
        try:
            self.seats[seats.key_id(seats.public_from_payload(e.payload))] = str(e.payload.get("seat"))
        except ValueError:
            pass  # refused by the check; `audit` names it

    def _place(self, item_id: str, after: str | None) -> None:
        if item_id in self.item_order:
            self.item_order.remove(item_id)
        at = len(self.item_order) if after is None else self.item_order.index(after) + 1
        self.item_order.insert(at, item_id)

    def _apply_item_added(self, e: ev.Event) -> None:
        p = cast(pl.ItemAdded, e.payload)
        # Replayed as stored, like the session-opened items (checked when it was recorded).
        item = Item.from_json(p["item"])
        self.items[item.id] = ItemState(item=item, added=True)
        self._place(item.id, p.get("after"))

    def _apply_item_withdrawn(self, e: ev.Event) -> None:
        p = cast(pl.ItemWithdrawn, e.payload)
        item = self.items[p["item_id"]]
        item.status, item.reason = "withdrawn", p["reason"]

    def _apply_item_postponed(self, e: ev.Event) -> None:
        p = cast(pl.ItemPostponed, e.payload)
        item = self.items[p["item_id"]]
        item.status, item.reason = "postponed", p["reason"]

    def _apply_item_moved(self, e: ev.Event) -> None:
        p = cast(pl.ItemMoved, e.payload)
        self._place(p["item_id"], p["after"])


Check = Callable[[SessionState, dict[str, Any]], None]
Fold = Callable[[SessionState, ev.Event], None]

# Which rule checks each kind of event before it is written, and how each is folded into the
# state. A new kind of event is one entry in each table (and its payload in payloads.PAYLOADS);
# tests/core/test_state_tables.py names any kind of events.KINDS that a table lacks.
CHECKS: dict[str, Check] = {
    ev.SESSION_OPENED: SessionState._check_session_opened,
    ev.ATTENDANCE_SET: SessionState._check_attendance_set,
    ev.LETTER_RECORDED: SessionState._check_letter_recorded,
    ev.LETTER_WITHDRAWN: SessionState._check_letter_withdrawn,
    ev.VOTE_OPENED: SessionState._check_vote_opened,
    ev.VOTE_RECORDED: SessionState._check_vote_recorded,
    ev.VOTE_CORRECTED: SessionState._check_vote_corrected,
    ev.VOTE_CLOSED: SessionState._check_vote_closed,
    ev.MEMBER_ADMITTED: SessionState._check_member_admitted,
    ev.ITEM_NOTED: SessionState._check_item_noted,
    ev.CONSENSUS_RECORDED: SessionState._check_consensus_recorded,
    ev.ELECTION_RECORDED: SessionState._check_election_recorded,
    ev.SESSION_CLOSED: SessionState._check_session_closed,
    ev.SESSION_REOPENED: SessionState._check_session_reopened,
    ev.SEAT_JOINED: SessionState._check_seat_joined,
    ev.ITEM_ADDED: SessionState._check_item_added,
    ev.ITEM_WITHDRAWN: SessionState._check_item_withdrawn,
    ev.ITEM_POSTPONED: SessionState._check_item_postponed,
    ev.ITEM_MOVED: SessionState._check_item_moved,
}

FOLDS: dict[str, Fold] = {
    ev.SESSION_OPENED: SessionState._apply_session_opened,
    ev.ATTENDANCE_SET: SessionState._apply_attendance_set,
    ev.LETTER_RECORDED: SessionState._apply_letter_recorded,
    ev.LETTER_WITHDRAWN: SessionState._apply_letter_withdrawn,
    ev.VOTE_OPENED: SessionState._apply_vote_opened,
    ev.VOTE_RECORDED: SessionState._apply_vote_recorded,
    ev.VOTE_CORRECTED: SessionState._apply_vote_recorded,
    ev.VOTE_CLOSED: SessionState._apply_vote_closed,
    ev.MEMBER_ADMITTED: SessionState._apply_member_admitted,
    ev.ITEM_NOTED: SessionState._apply_item_noted,
    ev.CONSENSUS_RECORDED: SessionState._apply_consensus_recorded,
    ev.ELECTION_RECORDED: SessionState._apply_election_recorded,
    ev.SESSION_CLOSED: SessionState._apply_session_closed,
    ev.SESSION_REOPENED: SessionState._apply_session_reopened,
    ev.SEAT_JOINED: SessionState._apply_seat_joined,
    ev.ITEM_ADDED: SessionState._apply_item_added,
    ev.ITEM_WITHDRAWN: SessionState._apply_item_withdrawn,
    ev.ITEM_POSTPONED: SessionState._apply_item_postponed,
    ev.ITEM_MOVED: SessionState._apply_item_moved,
}


def _a(word: str) -> str:
    """The word with its article, as a clerk would read it: "an election", "an observer"."""
    special = {"associate": "an associate member", "applicant": "an applicant not yet admitted"}
    if word in special:
        return special[word]
    return ("an " if word[0] in "aeiou" else "a ") + word
