"""Where a session log lives: ``--db`` as a file path or a URL, and the SQLite file on disk.

``--db`` takes a file path (SQLite) or any SQLAlchemy URL. This module turns it into what a
connection opens (``SqliteFile``: the URI the standard library's ``sqlite3`` opens; ``ServerUrl``:
a SQLAlchemy URL, for PostgreSQL), says which SQLite file it names (if any), and answers the
questions asked of that file before and while it is used: can anyone write it, is its disk full,
is a commit cut short in its journal, is it still the file that was opened. SQLAlchemy is
imported only for a URL: an SQLite file path never loads it (docs/decisions.md, "SQLite through
the standard library").
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from near_tui.core.errors import StorageError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


@dataclass(frozen=True)
class SqliteFile:
    """An SQLite database: ``uri`` as ``sqlite3.connect(uri, uri=True)`` opens it; ``path``, the file
    ``--db`` names (None for a ``file:`` URI given whole in a URL: its own options then rule)."""

    uri: str
    path: Path | None


@dataclass(frozen=True)
class ServerUrl:
    """A database server (PostgreSQL), reached through SQLAlchemy."""

    url: URL


def database_url(db: str, readonly: bool = False, follow: bool = False, create: bool = False) -> SqliteFile | ServerUrl:
    """``--db`` takes a file path (SQLite) or any SQLAlchemy URL.

    A path is never pasted into a URL string: ``?``, ``#``, ``%`` and spaces are legal in file
    names and would be read as URL syntax (another file, or query options), so the URL is built
    from its parts. A writer that must not create the file (every command but ``new``) opens it
    with ``mode=rw``, so SQLite itself refuses a file that vanished after the check.
    A reader that ``follow``s a live session (the chair, the board, a second seat) never opens
    the file ``immutable``: SQLite would then ignore the WAL, where the latest votes are.
    """
    if "://" in db:
        url = _given_url(db)
        if not is_sqlite(url):
            return ServerUrl(url)
        if "uri" in url.query:  # a URI of the user's own: opened as given, its options and all
            options = {key: value for key, value in url.query.items() if key != "uri"}
            return SqliteFile(f"{url.database}?{urlencode(options, doseq=True)}" if options else url.database, None)
        db = url.database  # sqlite:///PATH: the file PATH, opened as a path given to --db is
    path = resolve_path(db)
    if readonly:
        # A one-shot reader on a read-only medium cannot make the WAL's shared-memory file. When
        # no WAL file exists every event is in the database file itself, and nothing can write
        # there, so the file may be read as immutable (no locks, no journal).
        wal_holds = _size(Path(f"{path}-wal")) > 0  # an empty WAL (left by an open that failed) holds no event
        settled = not hot_journal(path)  # immutable would read a commit cut short as if it were whole
        # On a full disk SQLite cannot make the -shm a WAL reader needs; with nothing in the WAL, nothing
        # can be committed there either (it has no room to grow), so the file alone is the whole log.
        immutable = not follow and not wal_holds and settled and (unwritable(path) or disk_full(path.parent))
        return _sqlite_uri(path, {"mode": "ro", **({"immutable": "1"} if immutable else {})})
    return _sqlite_uri(path, {"mode": "rwc" if create else "rw"})


def resolve_path(db: str) -> Path:
    """``--db`` as an absolute path, links followed; a loop of symbolic links is the user's to fix."""
    try:
        return Path(db).expanduser().resolve()
    except (RuntimeError, OSError) as exc:  # Python raises RuntimeError for a loop (OSError ELOOP from 3.13)
        raise StorageError(f"{db}: a loop of symbolic links (the link leads back to itself: {exc}) — "
                           "give the session database's own path") from None


def _sqlite_uri(path: Path, options: dict[str, str]) -> SqliteFile:
    # SQLite's URI form (file:PATH?mode=ro): the path is percent-encoded, as RFC 3986 wants, so
    # a file named "a?b#c%d e" is that file.
    return SqliteFile(f"file:{quote(str(path))}?{urlencode(options)}", path)


def _given_url(db: str) -> URL:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db)
    except ArgumentError as exc:
        raise StorageError(f"{db}: cannot use this database URL ({exc}) — give a file path or a SQLAlchemy URL") from None
    if url.get_backend_name() == "sqlite":
        memory = (url.database or "") in ("", ":memory:") or url.query.get("mode") == "memory"
        if memory:
            raise StorageError(f"{db}: an in-memory database keeps nothing once the command ends — "
                               "give a file path, e.g. --db sessions/ga12.sqlite")
    return url


def shown(db: str) -> str:
    """``db`` as messages show it: a URL's password hidden."""
    if "://" not in db:
        return db
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db


def sqlite_file(db: str, where: SqliteFile | ServerUrl) -> Path | None:
    """The SQLite file ``--db`` names: a path, or ``sqlite:///PATH`` (not a URI form, not a server)."""
    if "://" not in db:
        return Path(db).expanduser()
    if isinstance(where, SqliteFile) and where.path is not None:
        return Path(_given_url(db).database).expanduser()
    return None


def is_sqlite(url: Any) -> bool:
    """A SQLAlchemy URL naming an SQLite database."""
    return url.get_backend_name() == "sqlite"


def unwritable(path: Path) -> bool:
    """True when no process can write this SQLite file now (read-only medium or permissions)."""
    if path.exists() and not os.access(path, os.W_OK):
        return True
    # WAL mode creates its -wal and -shm files beside the database.
    journal_missing = not Path(f"{path}-wal").exists()
    return journal_missing and not os.access(path.parent, os.W_OK)


FULL_BELOW = 64 * 1024  # bytes free under which a disk counts as full (the -shm alone needs 32 KiB)


def disk_full(folder: Path) -> bool:
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < FULL_BELOW


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def hot_journal(path: Path) -> bool:
    journal = Path(f"{path}-journal")
    return journal.exists() and journal.stat().st_size > 0


def settle_hot_journal(path: Path) -> None:
    """Roll back a commit that was cut short in a rollback-journal database (a mirror, a backup).

    A writer killed inside a commit leaves a hot journal beside the file; a read-only connection
    cannot roll it back and fails ("attempt to write a readonly database"). One read through a
    read-write connection rolls it back, as the next writer would; SQLite leaves the journal
    alone while a live writer holds its lock, so this never touches a transaction under way.
    """
    if not hot_journal(path) or unwritable(path):
        return
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=30)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # the read-only open that follows says what is wrong


def file_id(path: Path) -> tuple[int, int, int, int]:
    """What tells a file changed outside SQLite: another file at the path (device, inode), or
    bytes written into it (modification time, size). In WAL mode SQLite itself writes the file
    only at a checkpoint, so a follower opens it afresh now and then, not at every poll."""
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def identity(path: Path) -> tuple[int, int]:
    """Which file stands at ``path``: (device, inode)."""
    st = os.stat(path)
    return st.st_dev, st.st_ino
