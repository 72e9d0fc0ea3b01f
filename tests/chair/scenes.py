"""Sessions at the moments the chair's screen must get right, built from the 12th GA sample.

``recount`` counts an item's figures the way a teller would, from the sample's own
files (roster, attendance, letters) and the answers a test gave: it never asks the
code under test, so a test that compares the chair with it compares two counts.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import yaml

AGENDA_DIR = Path(__file__).resolve().parents[2] / "agenda"
GA12_VOTES = AGENDA_DIR / "ga12-2018-votes.csv"
ROSTER = AGENDA_DIR / "members-2018.yaml"
ATTENDANCE = AGENDA_DIR / "ga12-2018-attendance.csv"
LETTERS = AGENDA_DIR / "ga12-2018-letters.csv"


def sample_votes(item_id: str) -> list[tuple[str, str]]:
    """(member_id, vote) of the sample roll call on ``item_id``, in file order."""
    with open(GA12_VOTES, newline="", encoding="utf-8") as handle:
        return [(r["member_id"], r["vote"]) for r in csv.DictReader(handle) if r["item_id"] == item_id]


def vote_in_progress(session, answered: int = 12) -> None:
    """Item 2 (admission of Akita, two-thirds) open, the first ``answered`` members called."""
    session.open_vote("2")
    for member_id, vote in sample_votes("2")[:answered]:
        session.record_vote("2", member_id, vote)


def vote_closed(session) -> None:
    """Item 2 called through and closed (Akita admitted)."""
    vote_in_progress(session, answered=len(sample_votes("2")))
    session.close_vote("2")


def between_items(session) -> None:
    """Items 1-3 settled (election, admission vote, report noted); item 4 not opened yet."""
    session.record_election("1", ["ru-sakha"])
    vote_closed(session)
    session.note_item("3")


# ------------------------------------------------------------------ recount from the files
def voters() -> list[str]:
    """Members with a full vote, in roster order (the roster call order, Charter Art. 9.1)."""
    roster = yaml.safe_load(ROSTER.read_text(encoding="utf-8"))["members"]
    return [m["id"] for m in roster if m["status"] == "member" and m["voting"] == "full"]


def roster() -> list[dict]:
    return yaml.safe_load(ROSTER.read_text(encoding="utf-8"))["members"]


def names() -> dict[str, str]:
    return {m["id"]: m["name"] for m in yaml.safe_load(ROSTER.read_text(encoding="utf-8"))["members"]}


def full_names() -> dict[str, str]:
    """Each member as running text names it: the name, then the name in its own script."""
    return {m["id"]: " ".join(filter(None, (m["name"], m.get("native_name"))))
            for m in yaml.safe_load(ROSTER.read_text(encoding="utf-8"))["members"]}


def attendance() -> dict[str, str]:
    with open(ATTENDANCE, newline="", encoding="utf-8") as handle:
        return {r["member_id"]: r["mode"] for r in csv.DictReader(handle)}


def letters() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    with open(LETTERS, newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            found.setdefault(r["member_id"], {})[r["item_id"]] = r["position"]
    return found


def present_voters() -> list[str]:
    """Voting members marked in person or online, in call order: the members the clerk calls."""
    modes = attendance()
    return [m for m in voters() if modes.get(m) in ("in_person", "online")]


def recount(item_id: str, answers: list[tuple[str, str]], closed: bool = False) -> Counter:
    """yes / no / abstain / not_voting / uncalled of the sample on ``item_id`` after ``answers``.

    A present member answers for itself (uncalled until it does; not voting if the vote
    closes first); an absent member with a letter votes its letter's position on the item
    (not voting when the letter is silent on it); other absent members are not counted.
    """
    given = dict(answers)
    modes, sent = attendance(), letters()
    counts: Counter = Counter(yes=0, no=0, abstain=0, not_voting=0, uncalled=0)
    for member_id in voters():
        if member_id in given:
            counts[given[member_id]] += 1
        elif modes.get(member_id) in ("in_person", "online"):
            counts["not_voting" if closed else "uncalled"] += 1
        elif member_id in sent:
            counts[sent[member_id].get(item_id, "not_voting")] += 1
    return counts
