"""The log's tables are the ones SQLAlchemy's table definitions made before, column for column.

Session databases written by an earlier near_tui (its tables made by SQLAlchemy's ``create_all``)
must open, read and take new events unchanged. The earlier definitions are written out here as
they were; each backend's own catalogue is compared for both, then a session is recorded into
the earlier tables and read back.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, create_engine, text

from near_tui.core.events import chain_problems
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from near_tui.storage.session_log import SessionLog
from support import GA12, GA12_ATTENDANCE


def earlier_metadata() -> MetaData:
    metadata = MetaData()
    Table("near_meta", metadata,
          Column("key", String(64), primary_key=True),
          Column("value", Text, nullable=False))
    Table("near_events", metadata,
          Column("seq", Integer, primary_key=True, autoincrement=False),
          Column("kind", String(40), nullable=False),
          Column("payload", Text, nullable=False),
          Column("recorded_at", String(40), nullable=False),
          Column("prev_hash", String(64), nullable=False),
          Column("hash", String(64), nullable=False, unique=True),
          Index("near_events_by_kind", "kind", "seq"))
    Table("near_seals", metadata,
          Column("seq", Integer, primary_key=True, autoincrement=False),
          Column("seat", String(16), nullable=False),
          Column("signature", Text, nullable=False))
    Table("near_checkpoints", metadata,
          Column("seq", Integer, primary_key=True, autoincrement=False),
          Column("body", Text, nullable=False),
          Column("signature", Text, nullable=False))
    return metadata


def sqlalchemy_url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def make_earlier(db: str) -> None:
    engine = create_engine(sqlalchemy_url(db))
    earlier_metadata().create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO near_meta (key, value) VALUES ('schema_version', '2'), "
                          "('application', 'near_tui')"))
    engine.dispose()


def make_now(db: str) -> None:
    log = SessionLog(db, create=True)
    try:
        log.create_schema()
    finally:
        log.dispose()


def catalogue(db: str) -> dict[str, list]:
    """Every table's columns (name, type, not null, key) and every index, as the database keeps them."""
    tables = ("near_meta", "near_events", "near_seals", "near_checkpoints")
    if "://" not in db:
        conn = sqlite3.connect(db)
        try:
            out = {t: [row[1:] for row in conn.execute(f"PRAGMA table_info({t})")] for t in tables}
            for t in tables:
                out[f"{t} indexes"] = sorted(
                    (name, unique, origin, [c[2] for c in conn.execute(f"PRAGMA index_info({name})")])
                    for _, name, unique, origin, _partial in conn.execute(f"PRAGMA index_list({t})"))
            return out
        finally:
            conn.close()
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            out = {t: [tuple(r) for r in conn.execute(text(
                "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default "
                "FROM information_schema.columns WHERE table_name = :t ORDER BY ordinal_position"), {"t": t})]
                for t in tables}
            for t in tables:
                out[f"{t} indexes"] = sorted(tuple(r) for r in conn.execute(text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t"), {"t": t}))
            return out
    finally:
        engine.dispose()


def other_database(db_url: str, tmp_path, pg_server) -> str:
    return str(tmp_path / "now.sqlite") if "://" not in db_url else pg_server.new_database()


def test_the_tables_are_made_as_sqlalchemy_made_them(db_url, tmp_path, request):
    pg = request.getfixturevalue("pg_server") if "://" in db_url else None
    now = other_database(db_url, tmp_path, pg)
    make_earlier(db_url)
    make_now(now)
    earlier, made = catalogue(db_url), catalogue(now)
    assert earlier["near_events"] and earlier["near_events indexes"]
    assert made == earlier


def test_a_session_in_the_earlier_tables_records_and_reads(db_url):
    make_earlier(db_url)
    session = Session.create(load_agenda(GA12), db_url)
    import_file(session, "attendance", GA12_ATTENDANCE)
    session.open_vote("2")
    member = session.state.now_calling("2")
    session.record_vote("2", member, "yes")
    state = session.state
    session.close_log()
    again = Session.open(db_url, readonly=True)
    try:
        events = again.log.read_events()
        assert chain_problems(events) == []
        assert again.state.head == state.head and again.state.last_seq == state.last_seq
        assert again.state.items["2"].votes == {member: "yes"}
        assert all(e.seal is not None for e in events)  # the seals went into the earlier near_seals
    finally:
        again.close_log()
