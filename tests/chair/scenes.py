"""Sessions at the moments the chair's screen must get right, built from the 12th GA sample."""

from __future__ import annotations

import csv
from pathlib import Path

GA12_VOTES = Path(__file__).resolve().parents[2] / "agenda" / "ga12-2018-votes.csv"


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
