"""The session log's tables, the statements that read and write them, and an event's rows.

Rows are only ever inserted: a correction is a new event. The mirror and a backup write the very
same rows, so a copy's chain verifies byte for byte.

The statements are plain SQL that SQLite and PostgreSQL both run as written, with named
parameters (``:seq``) that both the standard library's ``sqlite3`` and SQLAlchemy's ``text()``
take: one text for each read and write, whichever database holds the log (engines.py). The
tables are those SQLAlchemy's table definitions made before, column for column, so a database
written by an earlier near_tui opens unchanged.
"""

from __future__ import annotations

import json

from near_tui.core import events as ev

# 2: the seats' signatures (near_seals) and the signed checkpoints (near_checkpoints). A writer adds
# the tables to a version-1 database it opens.
SCHEMA_VERSION = 2

EVENT_COLUMNS = "seq, kind, payload, recorded_at, prev_hash, hash"  # Event's field order

META_TABLE = ("CREATE TABLE IF NOT EXISTS near_meta (key VARCHAR(64) NOT NULL, value TEXT NOT NULL, "
              "PRIMARY KEY (key))")
EVENTS_TABLE = (
    "CREATE TABLE IF NOT EXISTS near_events (seq INTEGER NOT NULL, kind VARCHAR(40) NOT NULL, "
    "payload TEXT NOT NULL, recorded_at VARCHAR(40) NOT NULL, prev_hash VARCHAR(64) NOT NULL, "
    "hash VARCHAR(64) NOT NULL, PRIMARY KEY (seq), UNIQUE (hash))"
)
# Lets a summary read pick the few non-vote events out of a long log without scanning it.
EVENTS_BY_KIND = "CREATE INDEX IF NOT EXISTS near_events_by_kind ON near_events (kind, seq)"
# Each event's seat signature (near_tui.core.seats), beside the event: it signs the event's hash,
# so it cannot be inside what is hashed. Written in the same transaction as its event.
SEALS_TABLE = ("CREATE TABLE IF NOT EXISTS near_seals (seq INTEGER NOT NULL, seat VARCHAR(16) NOT NULL, "
               "signature TEXT NOT NULL, PRIMARY KEY (seq))")
# Each signed checkpoint (declaration/checkpoints.py) as the clerk wrote it beside the declaration,
# kept in the log too so that the board, on any machine, can publish it as it is made. ``body``:
# the signed file's text; ``signature``: its .minisig file's text.
CHECKPOINTS_TABLE = ("CREATE TABLE IF NOT EXISTS near_checkpoints (seq INTEGER NOT NULL, body TEXT NOT NULL, "
                     "signature TEXT NOT NULL, PRIMARY KEY (seq))")
SCHEMA = (META_TABLE, EVENTS_TABLE, EVENTS_BY_KIND, SEALS_TABLE, CHECKPOINTS_TABLE)
SCHEMA_2_TABLES = (SEALS_TABLE, CHECKPOINTS_TABLE)  # what version 2 added

SCHEMA_VERSION_AT = "SELECT value FROM near_meta WHERE key = 'schema_version'"
WRITE_META = "INSERT INTO near_meta (key, value) VALUES (:key, :value)"
SET_SCHEMA_VERSION = "UPDATE near_meta SET value = :value WHERE key = 'schema_version'"

HEAD_SEQ = "SELECT coalesce(max(seq), 0) FROM near_events"
LAST_EVENT = "SELECT seq, hash FROM near_events ORDER BY seq DESC LIMIT 1"
HASH_AT = "SELECT hash FROM near_events WHERE seq = :seq"
EVENTS_AFTER = f"SELECT {EVENT_COLUMNS} FROM near_events WHERE seq > :after ORDER BY seq"
INSERT_EVENT = ("INSERT INTO near_events (seq, kind, payload, recorded_at, prev_hash, hash) "
                "VALUES (:seq, :kind, :payload, :recorded_at, :prev_hash, :hash)")

SEALS_AFTER = "SELECT seq, seat, signature FROM near_seals WHERE seq > :after"
INSERT_SEAL = "INSERT INTO near_seals (seq, seat, signature) VALUES (:seq, :seat, :signature)"

CHECKPOINT_AT = "SELECT seq FROM near_checkpoints WHERE seq = :seq"
CHECKPOINTS_AFTER = "SELECT seq, body, signature FROM near_checkpoints WHERE seq > :after ORDER BY seq"
INSERT_CHECKPOINT = "INSERT INTO near_checkpoints (seq, body, signature) VALUES (:seq, :body, :signature)"


def _words(kinds: list[str]) -> str:
    # The kinds are the core's own constants (letters and underscores), never user text.
    assert all(kind.replace("_", "").isalpha() for kind in kinds)
    return ", ".join(f"'{kind}'" for kind in kinds)


_VOTES = sorted((ev.VOTE_RECORDED, ev.VOTE_CORRECTED))
# Every event except the votes before the last close: two index-driven parts, the events that are
# not votes (by kind), and the votes after the last close (by sequence number).
SUMMARY = (
    f"SELECT {EVENT_COLUMNS} FROM near_events WHERE kind IN ({_words(sorted(ev.KINDS - set(_VOTES)))}) "
    f"UNION ALL SELECT {EVENT_COLUMNS} FROM near_events WHERE seq > "
    f"(SELECT coalesce(max(seq), 0) FROM near_events WHERE kind = '{ev.VOTE_CLOSED}') "
    f"AND kind IN ({_words(_VOTES)}) ORDER BY seq"
)


def event_row(event: ev.Event) -> dict:
    """The stored row of an event (the mirror and backups write the very same bytes)."""
    return {"seq": event.seq, "kind": event.kind, "payload": ev.canonical_json(event.payload),
            "recorded_at": event.recorded_at, "prev_hash": event.prev_hash, "hash": event.hash}


def events_from_rows(rows) -> list[ev.Event]:
    """Events from rows of EVENT_COLUMNS (tuples or SQLAlchemy rows)."""
    return [
        ev.Event(seq, kind, json.loads(payload), recorded_at, prev_hash, digest)
        for seq, kind, payload, recorded_at, prev_hash, digest in rows
    ]


def seal_row(event: ev.Event) -> dict:
    """The stored row of an event's seal."""
    return {"seq": event.seq, "seat": event.seal.seat, "signature": event.seal.signature}
