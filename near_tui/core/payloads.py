"""The words the log records, as types: statuses, answers and modes as ``Literal`` types, and the
payload of each event kind as a ``TypedDict``.

Types only: nothing here runs when an event is read (a 10,000-member log folds as fast as with
plain dicts), but mypy checks every use in the core, and its strict equality refuses a comparison
with a word that is not in the type (``status == "opne"``). ``PAYLOADS`` names the payload of each
kind of ``events.KINDS``; ``tests/core/test_state_tables.py`` says when a kind or a field is missing.
"""

# No ``from __future__ import annotations`` here: a TypedDict reads ``NotRequired`` from its
# annotations when the class is made, which needs them evaluated.
from typing import Any, Literal, NotRequired, TypedDict, get_args

from . import events as ev

# ------------------------------------------------------------------ the words
ItemStatus = Literal["pending", "open", "closed", "withdrawn", "postponed"]
SetAside = Literal["withdrawn", "postponed"]  # taken off this session's agenda
AttendanceMode = Literal["in_person", "online", "absent"]
Standing = Literal["in_person", "online", "letter", "absent"]  # absent with a letter in effect: letter
Position = Literal["yes", "no", "abstain"]  # what a letter may say
Vote = Literal["yes", "no", "abstain", "not_voting"]  # what a member may answer
CallOrder = Literal["roster", "alphabetical"]
Source = Literal["recorded", "letter", "no_letter_position", "uncalled"]  # where a member's answer comes from
Outcome = Literal["carried", "not_carried", "no_quorum", "pending", "withdrawn", "postponed"]
Result = Literal["noted", "adopted", "not_adopted", "elected"]  # of an item decided without a roll call
EntryKind = Literal["recorded", "corrected"]


def words(literal: Any) -> tuple[str, ...]:
    """The words of a ``Literal`` type, in order: ``words(Vote)`` is ("yes", "no", "abstain", "not_voting")."""
    return tuple(get_args(literal))


# ------------------------------------------------------------ the payloads
class Stated(TypedDict):
    """What every payload may carry: the time the event is stated to have happened (``--at``)."""

    at: NotRequired[str]


class SessionOpened(Stated):
    session: dict[str, Any]
    rules: dict[str, Any]
    items: list[dict[str, Any]]
    members: list[dict[str, Any]]
    declaration: NotRequired[dict[str, Any]]


class AttendanceSet(Stated):
    member_id: str
    mode: AttendanceMode


class LetterRecorded(Stated):
    member_id: str
    positions: dict[str, Position]


class LetterWithdrawn(Stated):
    member_id: str


class VoteOpened(Stated):
    item_id: str
    order: NotRequired[CallOrder]
    start: NotRequired[str]  # alphabetical order: the member called first
    drawn_by_lot: NotRequired[bool]


class VoteRecorded(Stated):
    item_id: str
    member_id: str
    vote: Vote


class VoteCorrected(Stated):
    item_id: str
    member_id: str
    vote: Vote | None  # None: back to "not called" (an undo)
    undo_of: NotRequired[int]  # the entry an undo takes back


class TallyFields(TypedDict):
    """``state.Tally`` as a close event carries it (older logs lack the later fields)."""

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
    not_voting: int
    uncalled: int
    cast: int
    required_yes: int
    outcome: Outcome
    decided: Outcome | None
    reading: NotRequired[str | None]
    members_with_vote: NotRequired[int | None]


class VoteClosed(Stated):
    item_id: str
    tally: NotRequired[TallyFields]  # logs from before 0.2 close without it


class MemberAdmitted(Stated):
    item_id: str
    member_ids: list[str]


class ItemNoted(Stated):
    item_id: str


class ConsensusRecorded(Stated):
    item_id: str
    adopted: bool


class ElectionRecorded(Stated):
    item_id: str
    elected: list[str]


class SessionClosed(Stated):
    left_pending: NotRequired[list[str]]  # the items declared not taken up


class SessionReopened(Stated):
    reason: str


class ItemAdded(Stated):
    item: dict[str, Any]  # an agenda item, as the agenda file gives it
    after: str | None  # None: at the end of the agenda


class ItemWithdrawn(Stated):
    item_id: str
    reason: str


class ItemPostponed(Stated):
    item_id: str
    reason: str


class ItemMoved(Stated):
    item_id: str
    after: str


# The payload of each event kind.
class SeatJoined(Stated):
    seat: str  # the seat's name, account@machine
    public_key: str  # base64 of its Ed25519 public key
    unsigned_before: NotRequired[int]  # a log begun before seats signed: events below carry no seal


PAYLOADS: dict[str, type[Any]] = {
    ev.SESSION_OPENED: SessionOpened,
    ev.ATTENDANCE_SET: AttendanceSet,
    ev.LETTER_RECORDED: LetterRecorded,
    ev.LETTER_WITHDRAWN: LetterWithdrawn,
    ev.VOTE_OPENED: VoteOpened,
    ev.VOTE_RECORDED: VoteRecorded,
    ev.VOTE_CORRECTED: VoteCorrected,
    ev.VOTE_CLOSED: VoteClosed,
    ev.MEMBER_ADMITTED: MemberAdmitted,
    ev.ITEM_NOTED: ItemNoted,
    ev.CONSENSUS_RECORDED: ConsensusRecorded,
    ev.ELECTION_RECORDED: ElectionRecorded,
    ev.SESSION_CLOSED: SessionClosed,
    ev.SESSION_REOPENED: SessionReopened,
    ev.SEAT_JOINED: SeatJoined,
    ev.ITEM_ADDED: ItemAdded,
    ev.ITEM_WITHDRAWN: ItemWithdrawn,
    ev.ITEM_POSTPONED: ItemPostponed,
    ev.ITEM_MOVED: ItemMoved,
}
