"""The session log's tables and the rows an event is stored as.

Rows are only ever inserted: a correction is a new event. The mirror and a backup write the very
same rows, so a copy's chain verifies byte for byte.
"""

from __future__ import annotations

import json

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

from near_tui.core import events as ev

# 2: the seats' signatures (near_seals) and the signed checkpoints (near_checkpoints). A writer adds
# the tables to a version-1 database it opens.
SCHEMA_VERSION = 2

metadata = MetaData()
meta_table = Table(
    "near_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
events_table = Table(
    "near_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    # Lets a summary read pick the few non-vote events out of a long log without scanning it.
    Index("near_events_by_kind", "kind", "seq"),
)
# Each event's seat signature (near_tui.core.seats), beside the event: it signs the event's hash,
# so it cannot be inside what is hashed. Written in the same transaction as its event.
seals_table = Table(
    "near_seals", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("seat", String(16), nullable=False),
    Column("signature", Text, nullable=False),
)
# Each signed checkpoint (declaration/checkpoints.py) as the clerk wrote it beside the declaration,
# kept in the log too so that the board, on any machine, can publish it as it is made.
checkpoints_table = Table(
    "near_checkpoints", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=False),  # the signed file's text
    Column("signature", Text, nullable=False),  # its .minisig file's text
)


def event_row(event: ev.Event) -> dict:
    """The stored row of an event (the mirror and backups write the very same bytes)."""
    return {"seq": event.seq, "kind": event.kind, "payload": ev.canonical_json(event.payload),
            "recorded_at": event.recorded_at, "prev_hash": event.prev_hash, "hash": event.hash}


def events_from_rows(rows) -> list[ev.Event]:
    """Events from rows of the events table's columns in their order (Core rows or the DBAPI's tuples)."""
    return [
        ev.Event(seq, kind, json.loads(payload), recorded_at, prev_hash, digest)
        for seq, kind, payload, recorded_at, prev_hash, digest in rows
    ]


def seal_row(event: ev.Event) -> dict:
    """The stored row of an event's seal."""
    return {"seq": event.seq, "seat": event.seal.seat, "signature": event.seal.signature}
