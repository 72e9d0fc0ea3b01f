"""Processes of the concurrency test: one clerk writer, chair-like readers.

``writer DB`` records every roll call of the session. Most transactions
record one abstention; every PAIR_EVERY-th records a yes and a no together,
so at every transaction boundary each item has as many yes as no: a reader
that ever sees yes != no has seen half of a transaction. (Pairs are not more
frequent because a multi-event write checks on a deep copy of the state.)
It prints ``WROTE <transactions>``.

``reader DB`` follows the log as the chair view does (open read-only, fold
new events every few milliseconds), checks the chain link by link and the
yes == no invariant after every refresh, and stops once every item is closed.
It prints ``READ <refreshes> <events>``. Any error goes to stderr, exit 1.
"""

from __future__ import annotations

import sys
import time

from near_tui.core import events as ev
from near_tui.service.session import Session

PAIR_EVERY = 100


def writer(db: str) -> None:
    session = Session.open(db)
    transactions = 0
    for item_id in session.state.item_order:
        session.open_vote(item_id)
        voters = session.state.call_order(item_id)
        i = 0
        while i < len(voters):
            if transactions % PAIR_EVERY or i + 1 == len(voters):
                batch = [(voters[i], "abstain")]
            else:
                batch = [(voters[i], "yes"), (voters[i + 1], "no")]
            session.record([(ev.VOTE_RECORDED, {"item_id": item_id, "member_id": m, "vote": v}) for m, v in batch])
            i += len(batch)
            transactions += 1
        session.close_vote(item_id)
        transactions += 2
    session.close_log()
    print(f"WROTE {transactions}")


def check_balanced(state) -> None:
    for item_id in state.item_order:
        votes = list(state.items[item_id].votes.values())
        if votes.count("yes") != votes.count("no"):
            raise AssertionError(f"half a transaction visible at event {state.last_seq} on item {item_id}")


def reader(db: str) -> None:
    session = Session.open(db, readonly=True, follow=True)
    refreshes = 0
    while True:
        head = session.state.head
        new = session.refresh()
        refreshes += 1
        for event in new:
            if event.prev_hash != head or event.expected_hash() != event.hash:
                raise AssertionError(f"chain broken at event {event.seq}")
            head = event.hash
        check_balanced(session.state)
        if all(session.state.items[i].status == "closed" for i in session.state.item_order):
            break
        time.sleep(0.02)  # five times as often as the chair view polls
    print(f"READ {refreshes} {session.state.last_seq}")


if __name__ == "__main__":
    {"writer": writer, "reader": reader}[sys.argv[1]](sys.argv[2])
