"""Seats sign what they append: an event appended with plain sqlite3 is named by `audit` and stops a seat.

The forger here knows the format: the event they append links onto the chain and matches its
own hash, and it is one the rules allow (a correction while the roll call is open). What they
lack is a seat's key, so no seal stands beside it.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from near_tui.core import events as ev
from near_tui.core.errors import UnsignedEvent
from near_tui.service.session import Session
from near_tui.storage import seat_keys
from support import ROOT, near

from .forgery import rows


def forge_correction(db: str, item_id: str, member_id: str, vote: str) -> tuple[int, str]:
    """Append, with plain sqlite3, a correctly chained ``vote_corrected``; return its (seq, hash)."""
    seq, _kind, _payload, recorded_at, _prev, head = rows(db)[-1]
    payload = {"item_id": item_id, "member_id": member_id, "vote": vote}
    digest = ev.event_hash(seq + 1, ev.VOTE_CORRECTED, payload, recorded_at, head)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO near_events (seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?,?,?,?,?,?)",
                     (seq + 1, ev.VOTE_CORRECTED, ev.canonical_json(payload), recorded_at, head, digest))
    conn.close()
    return seq + 1, digest


def run(*args: str):
    """``near-tui ARGS`` in this process (click's runner): exit_code, stdout, stderr."""
    return near(*args)


@pytest.fixture
def roll_call_open(ga12_present, db_path):
    """The 12th GA with item 4's roll call open and two answers recorded; the clerk's session stays open."""
    session = ga12_present
    session.open_vote("4")
    voters = [m for m in session.state.call_order("4")][:2]
    for member_id in voters:
        session.record_vote("4", member_id, "yes")
    return session, db_path, voters


def test_a_correction_appended_with_plain_sqlite_fails_audit_by_name(roll_call_open):
    session, db, voters = roll_call_open
    assert run("audit", "--db", db).exit_code == 0  # sound before
    seq, _ = forge_correction(db, "4", voters[0], "no")
    done = run("audit", "--db", db)
    assert done.exit_code == 1, done.stdout
    assert f"event {seq} (vote_corrected): no seat signed it" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_the_clerk_refuses_to_fold_it_and_stops(roll_call_open):
    session, db, voters = roll_call_open
    seq, _ = forge_correction(db, "4", voters[0], "no")
    with pytest.raises(UnsignedEvent, match=rf"event {seq} \(vote_corrected\)"):
        session.refresh()
    assert session.state.items["4"].votes[voters[0]] == "yes"  # the forged answer never reached the tally
    with pytest.raises(UnsignedEvent):  # nor is it folded by a seat that starts afterwards
        Session.open(db)
    done = run("import", "votes", "--db", db, str(ROOT / "near_tui" / "samples" / "ga12-2018-votes.csv"))
    assert done.exit_code == 2 and f"event {seq} (vote_corrected)" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_forged_seal_or_a_stranger_key_is_named(roll_call_open, tmp_path):
    session, db, voters = roll_call_open
    seq, digest = forge_correction(db, "4", voters[0], "no")
    stranger = seat_keys.load_or_make(tmp_path / "stranger.key")  # a key the log never registered
    sealed = stranger.seal(digest)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO near_seals (seq, seat, signature) VALUES (?,?,?)", (seq, sealed.seat, sealed.signature))
    conn.close()
    done = run("audit", "--db", db)
    assert done.exit_code == 1
    assert f"event {seq} (vote_corrected): signed by key {stranger.key_id}, which no seat of this log registered" \
        in done.stdout
    # The seal of a seat the log knows, moved onto the forged event, does not hold for it.
    own = next(r for r in _seals(db) if r[0] == seq - 1)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE near_seals SET seat = ?, signature = ? WHERE seq = ?", (own[1], own[2], seq))
    conn.close()
    done = run("audit", "--db", db)
    assert done.exit_code == 1 and f"event {seq} (vote_corrected): its signature by seat" in done.stdout


def _seals(db: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT seq, seat, signature FROM near_seals ORDER BY seq").fetchall()
    finally:
        conn.close()


def test_every_event_is_sealed_and_a_second_seat_joins_with_its_own_key(roll_call_open, tmp_path):
    session, db, voters = roll_call_open
    every = rows(db)
    assert [r[0] for r in _seals(db)] == [r[0] for r in every]  # one seal per event, each beside its event
    joined = [json.loads(r[2]) for r in every if r[1] == ev.SEAT_JOINED]
    assert len(joined) == 1 and every[1][1] == ev.SEAT_JOINED  # the first seat joins right after the opening
    second = Session.open(db, seat=str(tmp_path / "second.key"))
    try:
        third_voter = second.state.call_order("4")[2]
        second.record_vote("4", third_voter, "abstain")
    finally:
        second.close_log()
    session.refresh()  # the first seat folds the second seat's events: both signed by a registered seat
    assert session.state.items["4"].votes[third_voter] == "abstain"
    assert len(session.state.seats) == 2
    done = run("audit", "--db", db)
    assert done.exit_code == 0, done.stdout


def test_a_log_from_before_seats_is_migrated_and_still_guarded(ga12_present, db_path):
    """A version-1 database (no seals at all) audits with a note; the first seat to write says which
    events predate signatures, and anything appended later without a key is caught."""
    ga12_present.close_log()
    db = db_path
    conn = sqlite3.connect(db)
    with conn:
        # Make it the database an older near_tui wrote: no seals' table, schema 1, no seat joined.
        conn.execute("DROP TABLE near_seals")
        conn.execute("UPDATE near_meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    _strip_seats(db)
    assert run("audit", "--db", db).exit_code == 0
    before = len(rows(db))
    session = Session.open(db)
    try:
        session.open_vote("4")
    finally:
        session.close_log()
    joined = [json.loads(r[2]) for r in rows(db) if r[1] == ev.SEAT_JOINED]
    assert joined[0]["unsigned_before"] == before + 1
    assert run("audit", "--db", db).exit_code == 0
    member_id = Session.open(db, readonly=True).state.call_order("4")[0]
    seq, _ = forge_correction(db, "4", member_id, "no")
    done = run("audit", "--db", db)
    assert done.exit_code == 1 and f"event {seq} (vote_corrected): no seat signed it" in done.stdout


def _strip_seats(db: str) -> None:
    """Remove the seat_joined event and re-hash the chain, as if no seat had ever joined."""
    conn = sqlite3.connect(db)
    entries = [(k, json.loads(p), r) for k, p, r in
               conn.execute("SELECT kind, payload, recorded_at FROM near_events ORDER BY seq") if k != ev.SEAT_JOINED]
    prev, out = ev.GENESIS, []
    for seq, (kind, payload, recorded_at) in enumerate(entries, start=1):
        digest = ev.event_hash(seq, kind, payload, recorded_at, prev)
        out.append((seq, kind, ev.canonical_json(payload), recorded_at, prev, digest))
        prev = digest
    with conn:
        conn.execute("DELETE FROM near_events")
        conn.executemany("INSERT INTO near_events VALUES (?, ?, ?, ?, ?, ?)", out)
    conn.close()
