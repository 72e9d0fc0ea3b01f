"""Synthetic sessions of any size: an agenda + roster pair on disk, or a SessionDefinition in memory.

The benchmarks and the hardening tests need rosters far larger than NEAR's 79
(1,000 and 10,000 members) and many decision items; the real files are the
model for the shape.
"""

from __future__ import annotations

from pathlib import Path

from near_tui.core.definition import SessionDefinition
from near_tui.core.schema import Item, Member, Rules, SessionInfo

COUNTRIES = ("CN", "JP", "KR", "KP", "MN", "RU")


def member_id(n: int) -> str:
    return f"m-{n:05d}"


def definition(members: int, items: int = 5) -> SessionDefinition:
    """A General Assembly with ``members`` full members and ``items`` ordinary decisions."""
    return SessionDefinition(
        session=SessionInfo(id=f"synthetic-{members}", title=f"Synthetic assembly of {members}",
                            body="general_assembly", venue="Test hall", opens="2024-01-01"),
        rules=Rules(),
        items=tuple(Item(id=str(i), title=f"Decision {i}", kind="decision",
                         article="8.11" if i % 2 else "8.2") for i in range(1, items + 1)),
        members=tuple(Member(id=member_id(n), name=f"Region {n:05d}", country=COUNTRIES[n % 6])
                      for n in range(1, members + 1)),
    )


def write_files(folder: Path, members: int, items: int = 5) -> Path:
    """Write agenda.yaml + members.yaml for ``members`` × ``items``; return the agenda path."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["members:"]
    lines += [f"  - {{id: {member_id(n)}, name: Region {n:05d}, country: {COUNTRIES[n % 6]}, "
              "status: member, voting: full}" for n in range(1, members + 1)]
    (folder / "members.yaml").write_text("\n".join(lines) + "\n")
    agenda = [
        f"session: {{id: synthetic-{members}, title: Synthetic assembly, body: general_assembly, "
        "venue: Test hall, opens: 2024-01-01}",
        "roster: members.yaml",
        "items:",
    ]
    for i in range(1, items + 1):
        agenda.append(f'  - {{id: "{i}", title: Decision {i}, kind: decision, article: "{"8.11" if i % 2 else "8.2"}"}}')
    path = folder / "agenda.yaml"
    path.write_text("\n".join(agenda) + "\n")
    return path


def attendance_actions(members: int, mode: str = "in_person") -> list[tuple[str, dict]]:
    return [("attendance_set", {"member_id": member_id(n), "mode": mode}) for n in range(1, members + 1)]
