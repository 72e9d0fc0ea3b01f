"""The board publishes every signed checkpoint as the clerk makes it, so that anyone can keep them.

The clerk keeps each checkpoint it signs in the session database too (``near_checkpoints``);
the board reads the new ones about once a second and publishes them: ``GET /checkpoints`` is the
whole list as JSON (the witness file ``near-tui verify --witness`` takes), and each new one goes to
every open ``/events`` stream as an SSE event named ``checkpoint`` (the page's own handler, which
takes unnamed messages, never sees it). See docs/board.md, "Witnesses".
"""

from __future__ import annotations

import json
from typing import Any

from near_tui.storage.session_log import SessionLog

INTERVAL = 1.0  # seconds between two reads of the kept checkpoints: a close happens minutes apart


def sse_event(name: str, document: dict[str, Any]) -> bytes:
    return (f"event: {name}\n".encode() + b"data: "
            + json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n")


class Checkpoints:
    """The signed checkpoints read so far, and the ``/checkpoints`` answer encoded once."""

    def __init__(self, db: str) -> None:
        self.log = SessionLog(db, readonly=True, follow=True)  # never immutable: new ones are in the WAL
        self.entries: list[dict[str, Any]] = []
        self.body = b"[]\n"
        try:
            self.poll()  # those made before the board started are served from its first request on
        except Exception:  # noqa: BLE001 — the publishing loop reads again and says why, once
            pass

    def poll(self) -> list[dict[str, Any]]:
        """Read the checkpoints kept since the last read (from one thread at a time); return them."""
        after = self.entries[-1]["seq"] if self.entries else 0
        new = self.log.read_checkpoints(after)
        if new:
            self.entries = self.entries + new
            self.body = json.dumps(self.entries, indent=1, ensure_ascii=False).encode() + b"\n"
        return new

    def close(self) -> None:
        self.log.dispose()
