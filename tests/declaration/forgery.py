"""What a forger with plain sqlite3 (and near_tui's own code) can do to a session log, for the audit tests."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from near_tui.core import events as ev
from near_tui.core.state import SessionState


def copy_db(db: str, to: Path) -> str:
    """A consistent copy of a live WAL database (sqlite's backup, not a file copy)."""
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return str(to)


def rows(db: str, where: str = "1", *args) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT seq, kind, payload, recorded_at, prev_hash, hash FROM near_events "
                            f"WHERE {where} ORDER BY seq", args).fetchall()
    finally:
        conn.close()


def execute(db: str, sql: str, *args) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql, args)
    conn.close()


def rewrite(db: str, change: Callable[[list[dict]], None], fix_tallies: bool = True) -> None:
    """Rewrite the whole log: ``change`` edits the rows (seq, kind, payload, recorded_at) in place;
    then, with ``fix_tallies``, every close gets the tally of the votes now before it; then the
    chain is hashed again from the first event. Every event then matches its hash and links
    onto the one before: only a signature made before the rewrite can tell.
    """
    conn = sqlite3.connect(db)
    entries = [{"seq": s, "kind": k, "payload": json.loads(p), "recorded_at": r}
               for s, k, p, r in conn.execute("SELECT seq, kind, payload, recorded_at FROM near_events ORDER BY seq")]
    change(entries)
    state = SessionState()
    prev = ev.GENESIS
    out = []
    for entry in entries:
        if fix_tallies and entry["kind"] == ev.VOTE_CLOSED and "tally" in entry["payload"]:
            entry["payload"]["tally"] = dataclasses.asdict(state.closing_tally(entry["payload"]["item_id"]))
        digest = ev.event_hash(entry["seq"], entry["kind"], entry["payload"], entry["recorded_at"], prev)
        event = ev.Event(entry["seq"], entry["kind"], entry["payload"], entry["recorded_at"], prev, digest)
        state.apply(event)
        out.append((event.seq, event.kind, ev.canonical_json(event.payload), event.recorded_at, prev, digest))
        prev = digest
    with conn:
        conn.execute("DELETE FROM near_events")
        conn.executemany("INSERT INTO near_events (seq, kind, payload, recorded_at, prev_hash, hash) "
                         "VALUES (?, ?, ?, ?, ?, ?)", out)
    conn.close()


def turn_vote(item_id: str, member_id: str, vote: str) -> Callable[[list[dict]], None]:
    """A change for ``rewrite``: the member's recorded answer on the item becomes ``vote``."""
    def change(entries: list[dict]) -> None:
        hits = [e for e in entries if e["kind"] == ev.VOTE_RECORDED
                and (e["payload"]["item_id"], e["payload"]["member_id"]) == (item_id, member_id)]
        assert len(hits) == 1
        hits[0]["payload"]["vote"] = vote
    return change


def reseal(db: str, seat) -> None:
    """Sign every event of ``db`` again with the seat key ``seat`` (a ``SeatKey``): what a forger who
    holds a seat's key does after ``rewrite``, so that every seal holds over the rewritten log."""
    conn = sqlite3.connect(db)
    hashes = [h for (h,) in conn.execute("SELECT hash FROM near_events ORDER BY seq")]
    with conn:
        conn.execute("DELETE FROM near_seals")
        for seq, digest in enumerate(hashes, start=1):
            sealed = seat.seal(digest)
            conn.execute("INSERT INTO near_seals (seq, seat, signature) VALUES (?, ?, ?)",
                         (seq, sealed.seat, sealed.signature))
    conn.close()
