"""The session log's event kinds and their hash chain (canonical JSON + SHA-256)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
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

KINDS = frozenset({
    SESSION_OPENED, ATTENDANCE_SET, LETTER_RECORDED, LETTER_WITHDRAWN, VOTE_OPENED,
    VOTE_RECORDED, VOTE_CORRECTED, VOTE_CLOSED, MEMBER_ADMITTED, ITEM_NOTED,
    CONSENSUS_RECORDED, ELECTION_RECORDED, SESSION_CLOSED, SESSION_REOPENED,
    ITEM_ADDED, ITEM_WITHDRAWN, ITEM_POSTPONED, ITEM_MOVED,
})


def canonical_json(value: Any) -> str:
    """One byte-exact encoding per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(seq: int, kind: str, payload: dict[str, Any], recorded_at: str, prev_hash: str) -> str:
    body = {"seq": seq, "kind": kind, "payload": payload, "recorded_at": recorded_at, "prev": prev_hash}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Event:
    seq: int
    kind: str
    payload: dict[str, Any]
    recorded_at: str
    prev_hash: str
    hash: str

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
