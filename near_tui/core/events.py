"""The session log's event kinds and their hash chain (canonical JSON + SHA-256)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64

# Every action the log records. A correction is a new event; nothing is updated or deleted.
SESSION_OPENED = "session_opened"
ATTENDANCE_SET = "attendance_set"
LETTER_RECORDED = "letter_recorded"
LETTER_WITHDRAWN = "letter_withdrawn"
VOTE_OPENED = "vote_opened"
VOTE_RECORDED = "vote_recorded"
VOTE_CORRECTED = "vote_corrected"
VOTE_CLOSED = "vote_closed"
MEMBER_ADMITTED = "member_admitted"
ITEM_NOTED = "item_noted"
CONSENSUS_RECORDED = "consensus_recorded"
ELECTION_RECORDED = "election_recorded"
SESSION_CLOSED = "session_closed"
SESSION_REOPENED = "session_reopened"
# Agenda changes during the session (docs/rules.md, "Agenda changes during the session").
ITEM_ADDED = "item_added"
ITEM_WITHDRAWN = "item_withdrawn"
ITEM_POSTPONED = "item_postponed"
ITEM_MOVED = "item_moved"
# A seat (a clerk's laptop, a second seat, the command line of one account) makes its signing
# key known to the log before its first event (docs/seats.md).
SEAT_JOINED = "seat_joined"

KINDS = frozenset({
    SESSION_OPENED, ATTENDANCE_SET, LETTER_RECORDED, LETTER_WITHDRAWN, VOTE_OPENED,
    VOTE_RECORDED, VOTE_CORRECTED, VOTE_CLOSED, MEMBER_ADMITTED, ITEM_NOTED,
    CONSENSUS_RECORDED, ELECTION_RECORDED, SESSION_CLOSED, SESSION_REOPENED,
    ITEM_ADDED, ITEM_WITHDRAWN, ITEM_POSTPONED, ITEM_MOVED, SEAT_JOINED,
})


def canonical_json(value: Any) -> str:
    """One byte-exact encoding per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(seq: int, kind: str, payload: dict[str, Any], recorded_at: str, prev_hash: str) -> str:
    body = {"seq": seq, "kind": kind, "payload": payload, "recorded_at": recorded_at, "prev": prev_hash}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


# The payload key holding the time an event is stated to have happened (``--at``, docs/decisions.md,
# "Stated times"): a replay from papers records 2018's times beside the log's own clock.
STATED_AT = "at"


def parse_stated_time(text: str) -> str:
    """``2018-10-29T10:30+08:00`` → the same instant in canonical ISO 8601, or ValueError.

    The offset is required: a time without one names no instant.
    """
    when = dt.datetime.fromisoformat(text.strip())
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{text!r} has no UTC offset — write it as 2018-10-29T10:30:00+08:00 (or Z for UTC)")
    return when.isoformat()


def stated_time(event: Event) -> str:
    """When the event happened: the stated time (``--at``) if the payload has one, else the log's clock."""
    stated = event.payload.get(STATED_AT) if isinstance(event.payload, dict) else None
    return stated if isinstance(stated, str) and stated else event.recorded_at


@dataclass(frozen=True)
class Seal:
    """The signature a seat made over an event's hash; stored beside the event, not in what is hashed."""

    seat: str  # the seat key's id (``near_tui.core.seats.key_id``)
    signature: str  # base64 of the Ed25519 signature


@dataclass(frozen=True)
class Event:
    seq: int
    kind: str
    payload: dict[str, Any]
    recorded_at: str
    prev_hash: str
    hash: str
    # Not part of the hash (it signs the hash) nor of equality: the same event read with or without it.
    seal: Seal | None = field(default=None, compare=False)

    def expected_hash(self) -> str:
        return event_hash(self.seq, self.kind, self.payload, self.recorded_at, self.prev_hash)


def chain_problems(events: list[Event]) -> list[str]:
    """Every place where the chain does not hold; empty when it is intact."""
    problems = []
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            problems.append(f"event {event.seq}: expected sequence number {expected_seq} (an event is missing or inserted)")
        if event.prev_hash != prev:
            problems.append(f"event {event.seq}: does not follow the previous event's hash")
        if event.expected_hash() != event.hash:
            problems.append(f"event {event.seq} ({event.kind}): content does not match its hash (altered)")
        prev = event.hash
    return problems


# Two seats' clocks may differ by a little; a step back of more than this is a clock that went wrong.
CLOCK_SLACK_SECONDS = 60


def _instant(stamp: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def clock_steps_back(events: list[Event]) -> list[tuple[Event, Event]]:
    """Each (event, next event) where the recording time goes back by more than ``CLOCK_SLACK_SECONDS``."""
    steps = []
    before: tuple[Event, dt.datetime] | None = None
    for event in events:
        at = _instant(event.recorded_at)
        if at is None:
            continue
        if before is not None and (before[1] - at).total_seconds() > CLOCK_SLACK_SECONDS:
            steps.append((before[0], event))
        before = (event, at)
    return steps
