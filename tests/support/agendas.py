"""Small agendas written on the fly, for tests that need a roster of their own, and a fixed clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml


def write_agenda(folder: Path, members: list[dict], items: list[dict], rules: dict | None = None,
                 name: str = "agenda.yaml", session: dict | None = None, declaration: dict | None = None) -> Path:
    """Write an agenda with an inline roster; return its path. ``session``: keys that replace or add
    to the session block's (``languages``, a title in several languages)."""
    doc = {
        "session": {"id": "test-1", "title": "Test Assembly", "body": "general_assembly",
                    "venue": "Test Hall", "opens": "2024-05-01", **(session or {})},
        "roster": members,
        "items": items,
    }
    if rules is not None:
        doc["rules"] = rules
    if declaration is not None:
        doc["declaration"] = declaration
    if any(m.get("country") == "VN" for m in members if isinstance(m, dict)):
        doc["countries"] = {"VN": "Viet Nam"}  # not one of the six NEAR countries named by default
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


def small_session(tmp_path: Path, names: list[str], present: list[int], items: list[dict] | None = None,
                  name: str = "small") -> str:
    """A session database with members ``names`` (ids m1, m2...), those at ``present`` (0-based) in person."""
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.session import Session

    members = [{"id": f"m{i + 1}", "name": n, "country": "JP", "status": "member", "voting": "full"}
               for i, n in enumerate(names)]
    items = items or [{"id": "1", "title": "Fees", "kind": "decision", "article": "8.6"}]
    agenda = write_agenda(tmp_path, members, items, name=f"{name}.yaml")
    db = str(tmp_path / f"{name}.sqlite")
    session = Session.create(load_agenda(agenda), db, clock=FixedClock())
    for i in present:
        session.set_attendance(f"m{i + 1}", "in_person")
    session.close_log()
    return db
