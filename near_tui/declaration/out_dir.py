"""Where a session's closing files go by default: a light module, so the clerk can name the
folder at start-up without importing the PDF renderer (fpdf costs about 0.3 s to import)."""

from __future__ import annotations

from pathlib import Path


def default_out_dir(session_id: str) -> Path:
    return Path("sessions") / session_id
