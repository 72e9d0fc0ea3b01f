"""Rewriting a session log behind the programs that follow it, as a forger with sqlite3 would."""

from __future__ import annotations

import json
import sqlite3

from near_tui.core import events as ev


def rewrite_event(db: str, seq: int, change) -> None:
    """Change event ``seq``'s payload with ``change(payload)`` and re-hash the chain after it.

    The chain still verifies on its own: only a program that already holds the old hashes
    can tell that the log was rewritten.
    """
    con = sqlite3.connect(db, isolation_level=None, timeout=30)
    try:
        con.execute("BEGIN IMMEDIATE")
        prev = con.execute("SELECT hash FROM near_events WHERE seq = ?", (seq - 1,)).fetchone()
        prev_hash = prev[0] if prev else ev.GENESIS
        rows = con.execute("SELECT seq, kind, payload, recorded_at FROM near_events WHERE seq >= ? ORDER BY seq",
                           (seq,)).fetchall()
        for number, kind, payload, recorded_at in rows:
            body = json.loads(payload)
            if number == seq:
                body = change(body)
            digest = ev.event_hash(number, kind, body, recorded_at, prev_hash)
            con.execute("UPDATE near_events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                        (ev.canonical_json(body), prev_hash, digest, number))
            prev_hash = digest
        con.execute("COMMIT")
    finally:
        con.close()


def delete_last_event(db: str) -> int:
    """Delete the log's last event; return its sequence number."""
    con = sqlite3.connect(db, isolation_level=None, timeout=30)
    try:
        con.execute("BEGIN IMMEDIATE")
        (last,) = con.execute("SELECT max(seq) FROM near_events").fetchone()
        con.execute("DELETE FROM near_events WHERE seq = ?", (last,))
        con.execute("COMMIT")
        return last
    finally:
        con.close()


def chain_intact(db: str) -> bool:
    """True when the stored chain verifies on its own (the forger re-hashed it)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT seq, kind, payload, recorded_at, prev_hash, hash FROM near_events "
                           "ORDER BY seq").fetchall()
    finally:
        con.close()
    events = [ev.Event(s, k, json.loads(p), r, prev, h) for s, k, p, r, prev, h in rows]
    return ev.chain_problems(events) == []


def append_unsigned(db: str, kind: str, payload: dict) -> int:
    """Append an event that links onto the chain and matches its own hash, with no seat's signature
    (plain sqlite3, no seat key); return its sequence number."""
    con = sqlite3.connect(db, isolation_level=None, timeout=30)
    try:
        con.execute("BEGIN IMMEDIATE")
        seq, head, recorded_at = con.execute(
            "SELECT seq, hash, recorded_at FROM near_events ORDER BY seq DESC LIMIT 1").fetchone()
        digest = ev.event_hash(seq + 1, kind, payload, recorded_at, head)
        con.execute("INSERT INTO near_events (seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?,?,?,?,?,?)",
                    (seq + 1, kind, ev.canonical_json(payload), recorded_at, head, digest))
        con.execute("COMMIT")
        return seq + 1
    finally:
        con.close()
