"""A small roster in the association's five scripts, each member with a native name (one without).

Shared by the clerk's, the chair's and the board's tests of names in every script. The
expected strings of those tests are written out in them, not built from this list.
"""

from __future__ import annotations

from pathlib import Path

from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, write_agenda

# (id, name, native name, country), in roster order.
ROSTER = [
    ("cn-heilongjiang", "Heilongjiang Province", "黑龙江省", "CN"),
    ("jp-aomori", "Aomori Prefecture", "青森県", "JP"),
    ("kr-busan", "Busan Metropolitan City", "부산광역시", "KR"),
    ("mn-ulaanbaatar", "Ulaanbaatar City", "Улаанбаатар хот", "MN"),
    ("ru-sakha", "Sakha Republic (Yakutia)", "Республика Саха (Якутия)", "RU"),
    ("kr-sejong", "Sejong Special Self-Governing City", "세종특별자치시", "KR"),
    ("jp-kyoto", "Kyoto Prefecture", None, "JP"),
]
ITEMS = [
    {"id": "1", "title": "Appointment of the Next Chair", "kind": "election", "seats": 1},
    {"id": "2", "title": "Fees", "kind": "decision", "article": "8.6"},
    {"id": "3", "title": "Report of the Secretariat", "kind": "report"},
]


def native_session(folder: Path, present: list[str] | None = None, name: str = "native") -> tuple[str, Session]:
    """A session on ROSTER with ``present`` (default: everyone) in person; returns (db, open Session)."""
    members = []
    for member_id, english, native, country in ROSTER:
        entry = {"id": member_id, "name": english, "country": country, "status": "member", "voting": "full"}
        if native is not None:
            entry["native_name"] = native
        members.append(entry)
    agenda = write_agenda(folder, members, ITEMS, name=f"{name}.yaml")
    db = str(folder / f"{name}.sqlite")
    session = Session.create(load_agenda(agenda), db, clock=FixedClock())
    for member_id, *_ in ROSTER:
        if present is None or member_id in present:
            session.set_attendance(member_id, "in_person")
    return db, session
