"""What a database error means for the person at the seat, in one sentence each."""

from __future__ import annotations

from pathlib import Path

from near_tui.core.errors import StorageError

from . import engines
from .locations import disk_full


def storage_error(exc: Exception, shown: str, path: Path | None) -> StorageError:
    """``exc`` (SQLAlchemy's wrapper or the driver's own) as one ``StorageError`` for ``shown``;
    ``path``: the SQLite file, whose disk is asked whether it is full."""
    text = str(getattr(exc, "orig", exc))
    low = text.lower()
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)  # psycopg's SQLSTATE
    # The driver's text runs over several lines (libpq adds hints); the first says what failed.
    first = next((line.strip() for line in text.splitlines() if line.strip()), "no detail")
    if "readonly" in low or "read-only" in low:
        hint = "the database is read-only — check the file's permissions; nothing was recorded"
    elif "disk is full" in low or "disk full" in low or "no space" in low or (
            # SQLite says "disk I/O error" when it cannot make the WAL's files on a full disk.
            "disk i/o error" in low and path is not None and disk_full(path.expanduser().parent)):
        where = f"the disk holding {path.expanduser().parent}" if path is not None else "the disk"
        hint = f"{where} is full — free space and retry; nothing was recorded"
    elif "locked" in low or code == "55P03":
        # SQLite's busy timeout or PostgreSQL's lock_timeout ran out: another program holds the lock.
        hint = (f"another program has held the database for over {engines.WRITE_WAIT:g} s — "
                "nothing was recorded; retry once it lets go")
    elif code == "57014" or "statement timeout" in low:
        hint = (f"the database server did not answer within {engines.STATEMENT_WAIT:g} s — "
                "nothing was recorded; check the server, then retry")
    elif "unable to open" in low:
        hint = "cannot open the database file — check the path and permissions"
    elif "password authentication failed" in low or "no password supplied" in low:
        hint = "the database server refused the user name or password — check them in the URL"
    elif "role" in low and "does not exist" in low:
        hint = "the database server has no such user — check the user name in the URL"
    elif "database" in low and "does not exist" in low:
        hint = "the database server has no database of that name — create it (createdb NAME) or check the URL"
    elif any(words in low for words in ("connection refused", "could not translate host", "name or service",
                                        "timeout expired", "timed out", "no route to host", "no such file or directory",
                                        "connection failed", "could not connect", "server closed the connection")):
        hint = f"cannot reach the database server ({first}) — check the host and port in the URL and that the server runs"
    else:
        hint = f"database error ({first}) — nothing was recorded"
    return StorageError(f"{shown}: {hint}")


def no_log_table(exc: Exception) -> bool:
    """The log's tables are missing: a database, role and server were reached, but it is not ours."""
    low = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in low or ("near_meta" in low and "does not exist" in low)
