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
    """
