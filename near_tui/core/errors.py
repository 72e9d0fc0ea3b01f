"""Errors the user can act on. The CLI prints them on one line and exits 2."""

from __future__ import annotations


class NearError(Exception):
    """Base for every error that is the user's to fix, never a bug."""

    exit_code = 2


class InputError(NearError):
    """A problem in an input file, reported as ``FILE:LINE: what — fix``."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}:1"
        return f"{where}: {self.message}"


class RuleError(NearError):
    """An action the Charter or the session's state does not allow."""


class StorageError(NearError):
    """The session database cannot be used (read-only, full, newer version...)."""


class LogRewritten(StorageError):
    """The log no longer holds the events this program has already read: someone rewrote it.

    Every writer and follower compares the chain head it holds with the log's on each
    write and poll; on a mismatch it stops and says so rather than follow the new text.
    The fields say what differs, so that a surface words it itself (never from this text):
    ``seq`` the event at fault, ``expected_hash`` the hash read here before (None: the event
    was not read here yet), ``found_hash`` the log's hash there now (None: the event is gone).
    """

    def __init__(self, db: str, seq: int, expected_hash: str | None, found_hash: str | None,
                 what: str | None = None) -> None:
        self.db = str(db)
        self.seq = seq
        self.expected_hash = expected_hash
        self.found_hash = found_hash
        if what is None:
            what = (f"event {seq}, already read here, " + ("is gone" if found_hash is None else "has changed")
                    if expected_hash is not None else f"event {seq} does not follow the events already read here")
        self.what = what
        super().__init__(f"{db}: the session log was rewritten — {what}. Nothing more is recorded from here: "
                         "have the log checked before going on")


class LogVanished(StorageError):
    """The session database is no longer at ``path`` (deleted, moved, its disk gone)."""

    def __init__(self, path: str, message: str | None = None) -> None:
        self.path = str(path)
        super().__init__(message or f"{path}: the session database is gone (deleted, moved, or its disk "
                                    "removed) — nothing more is recorded; continue from the mirror or a backup")


class LogReplaced(StorageError):
    """Another file now stands at ``path``: not the session database this program opened."""

    def __init__(self, path: str, message: str | None = None) -> None:
        self.path = str(path)
        super().__init__(message or f"{path}: another file now stands where the session database was — "
                                    "nothing more is recorded; continue from the mirror or a backup")


class UnsignedEvent(LogRewritten):
    """The log holds an event no seat of the session signed: a writing seat stops, as for a rewrite."""

    def __init__(self, db: str, seq: int, what: str) -> None:
        self.db, self.seq, self.expected_hash, self.found_hash, self.what = str(db), seq, None, None, what
        StorageError.__init__(self, f"{db}: {what}. Nothing more is recorded from here: have the log checked "
                                    "(near-tui audit) before going on")
