"""Seats sign what they append: which events a known seat signed, and which none did.

Every seat (a clerk's laptop, a second seat, the command line of one account) holds an Ed25519
key of its own. Before its first event a seat appends a ``seat_joined`` event carrying its public
key, signed with that very key; from then on it signs the hash of each event it appends. The
signature (a ``Seal``) is stored beside the event, not in the hashed content, since it signs the
hash. What this protects against, and what not, is in docs/seats.md.

``SeatBook`` holds the seats a log has registered and names each event that no registered seat
signed. ``near-tui audit`` and ``verify`` run it over the whole log; a writing seat runs it over
each event another seat appends, and stops on the first that fails.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from . import events as ev

# Ed25519 through PyNaCl (libsodium): a writing seat checks every event's seal before its first
# frame and signs each event it appends, and libsodium costs it 1 MiB where cryptography's library
# costs 6 (bench/RESULTS.md, start-up). The signatures are the same bytes (Ed25519 is
# deterministic); the declaration's own signatures keep cryptography (declaration/signing.py).

# Signed bytes: this prefix and the event's hash, so a seat's signature means nothing elsewhere.
DOMAIN = b"near-tui seat signature 1\n"


def key_id(public_raw: bytes) -> str:
    """A seat key's short name: 16 hex digits of the SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def signed_bytes(event_hash: str) -> bytes:
    return DOMAIN + event_hash.encode("ascii")


def seal(private: SigningKey, event_hash: str) -> ev.Seal:
    raw = bytes(private.verify_key)
    signature = private.sign(signed_bytes(event_hash)).signature
    return ev.Seal(key_id(raw), base64.b64encode(signature).decode("ascii"))


def joined_payload(name: str, public_raw: bytes, unsigned_before: int | None = None) -> dict[str, Any]:
    """The ``seat_joined`` payload; ``unsigned_before``: on a log begun before seats signed, the
    events below this number carry no seal (said once, by the first seat to join such a log)."""
    payload: dict[str, Any] = {"seat": name, "public_key": base64.b64encode(public_raw).decode("ascii")}
    if unsigned_before is not None:
        payload["unsigned_before"] = unsigned_before
    return payload


def public_from_payload(payload: dict[str, Any]) -> bytes:
    """The raw public key a ``seat_joined`` payload carries; ``ValueError`` when it is not one."""
    text = payload.get("public_key")
    if not isinstance(text, str):
        raise ValueError("no public key")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the public key is not base64") from None
    if len(raw) != 32:
        raise ValueError("the public key is not an Ed25519 key (32 bytes)")
    return raw


@dataclass(frozen=True)
class Seat:
    name: str
    key_id: str
    joined_seq: int
    public: VerifyKey


class SeatBook:
    """The seats a log registered, and the check of every event's seal against them."""

    def __init__(self) -> None:
        self.seats: dict[str, Seat] = {}
        self.unsigned_before = 0  # events below this number may carry no seal (a log begun before seats)
        self.legacy = False  # nothing in the log is signed: a log from before seats signed

    def problems(self, events: list[ev.Event]) -> list[tuple[int, str]]:
        """(seq, sentence) for each event (from ``events``, in log order) that no registered seat signed.

        Registrations among ``events`` count for the events from their own on; the session's
        first event, written in one transaction with its seat's registration, may be signed
        by the seat registered just after it.
        """
        fresh = not self.seats
        for event in events:
            if event.kind == ev.SEAT_JOINED:
                self._register(event)
        if fresh and not self.seats and not any(e.seal for e in events):
            self.legacy = True  # begun and kept by a near_tui from before seats: nothing to check
            return []
        self.legacy = False
        out = []
        for event in events:
            problem = self._problem(event)
            if problem is not None:
                out.append((event.seq, f"event {event.seq} ({event.kind}): {problem}"))
        return out

    def _register(self, event: ev.Event) -> None:
        try:
            raw = public_from_payload(event.payload)
        except ValueError:
            return  # the rules refuse it (``SessionState``); its own seal check names it below
        ident = key_id(raw)
        if ident in self.seats:
            return
        if not self.seats and isinstance(event.payload.get("unsigned_before"), int):
            self.unsigned_before = event.payload["unsigned_before"]
        name = event.payload.get("seat")
        self.seats[ident] = Seat(name if isinstance(name, str) else "?", ident, event.seq,
                                 VerifyKey(raw))

    def _problem(self, event: ev.Event) -> str | None:
        sealed = event.seal
        if sealed is None:
            if event.seq < self.unsigned_before:
                return None
            return "no seat signed it — appended by someone without a seat's key (plain SQL, another program)"
        seat = self.seats.get(sealed.seat)
        if seat is None:
            return f"signed by key {sealed.seat}, which no seat of this log registered"
        if seat.joined_seq > event.seq and not (event.seq == 1 and seat.joined_seq == 2):
            return f"signed by seat {seat.name} ({seat.key_id}), which joined only at event {seat.joined_seq}"
        try:
            signature = base64.b64decode(sealed.signature, validate=True)
            seat.public.verify(signed_bytes(event.hash), signature)
        except (binascii.Error, ValueError, BadSignatureError):
            return (f"its signature by seat {seat.name} ({seat.key_id}) does not hold — the event or its "
                    "signature was changed by someone without that seat's key")
        return None

    def describe(self) -> list[str]:
        """One line per seat: its name, key id and the event it joined at."""
        return [f"seat {s.name} (key {s.key_id}) joined at event {s.joined_seq}" for s in self.seats.values()]


def seal_problems(events: Iterable[ev.Event]) -> tuple[SeatBook, list[tuple[int, str]]]:
    book = SeatBook()
    return book, book.problems(list(events))
