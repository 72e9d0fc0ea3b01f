"""Small agendas written on the fly, for tests that need a roster of their own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
AGENDA_DIR = ROOT / "agenda"
GA12 = AGENDA_DIR / "ga12-2018.yaml"
GA12_ATTENDANCE = AGENDA_DIR / "ga12-2018-attendance.csv"
GA12_LETTERS = AGENDA_DIR / "ga12-2018-letters.csv"
GA12_VOTES = AGENDA_DIR / "ga12-2018-votes.csv"


def write_agenda(folder: Path, members: list[dict], items: list[dict], rules: dict | None = None,
                 name: str = "agenda.yaml") -> Path:
    """Write an agenda with an inline roster; return its path."""
    doc = {
        "session": {"id": "test-1", "title": "Test Assembly", "body": "general_assembly",
                    "venue": "Test Hall", "opens": "2024-05-01"},
        "roster": members,
        "items": items,
    }
    if rules is not None:
        doc["rules"] = rules
    path = folder / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def member(mid: str, status: str = "member", voting: str = "full", country: str = "JP") -> dict:
    return {"id": mid, "name": mid.replace("-", " ").title(), "country": country, "status": status, "voting": voting}


class FixedClock:
    """A clock that ticks one second per event, so rendered output is reproducible."""

    def __init__(self, start: str = "2018-10-29T09:00:00") -> None:
        self.now = dt.datetime.fromisoformat(start)

    def __call__(self) -> str:
        stamp = self.now.isoformat(timespec="milliseconds") + "Z"
        self.now += dt.timedelta(seconds=1)
        return stamp


# Pilot's own press, before tests/conftest.py makes each key wait for the write it starts. The tests
# of keys pressed WHILE a write is under way (a held lock, a held key) press with this one.
from textual.pilot import Pilot as _Pilot  # noqa: E402

PRESS_AT_ONCE = _Pilot.press
