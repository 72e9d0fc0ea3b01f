"""One clerk writer, three chair readers and a `report` loop on one database, 10,000 write transactions.

No process may ever hit "database is locked" (or any error), and no reader or
report may see half of a transaction. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import synthetic  # noqa: E402 — from bench/, put on the path by support

from near_tui.core import events as ev
from near_tui.service.session import Session
from support import HERE, ROOT, child_env, near

MEMBERS = 404
ITEMS = 25  # 25 roll calls x (about 400 vote transactions + open + close) = 10,000 transactions


def spawn(role: str, db: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / "concurrency_worker.py"), role, db],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            text=True, cwd=ROOT, env=child_env())


@pytest.mark.slow
@pytest.mark.timeout(900)  # ten thousand write transactions against four readers
def test_writer_three_readers_and_report_loop(db_url):
    session = Session.create(synthetic.definition(MEMBERS, ITEMS), db_url)
    session.record(synthetic.attendance_actions(MEMBERS))
    session.close_log()

    readers = [spawn("reader", db_url) for _ in range(3)]
    writer = spawn("writer", db_url)
    reports: list[str] = []
    problems: list[str] = []

    def report_loop():
        try:
            reports_until_writer_ends()
        except Exception as exc:  # noqa: BLE001 — a failing loop must fail the test, not vanish
            problems.append(f"report loop: {exc!r}")

    def reports_until_writer_ends():
        while writer.poll() is None:
            time.sleep(0.3)
            # In this process (click's runner): the command's own code on a connection of its own,
            # beside the writer's and the readers' processes, without a fresh interpreter's start-up
            # taking a core from them every 0.3 s.
            done = near("report", "--json", "--db", db_url)
            if done.exit_code != 0:
                problems.append(done.stderr or repr(done.exception))
                continue
            reports.append(done.stdout)
            for item in json.loads(done.stdout)["items"]:
                if item["yes"] != item["no"]:
                    problems.append(f"report saw half a transaction: {item}")

    looping = threading.Thread(target=report_loop)
    looping.start()
    out, err = writer.communicate(timeout=600)
    looping.join()
    results = [r.communicate(timeout=120) for r in readers]

    everything = err + "".join(e for _, e in results) + "".join(problems)
    assert "locked" not in everything.lower()
    assert writer.returncode == 0 and err == "", err
    assert int(out.split()[1]) >= 10_000
    for proc, (r_out, r_err) in zip(readers, results, strict=True):
        assert proc.returncode == 0 and r_err == "", r_err
        assert r_out.startswith("READ ")
    assert problems == [] and len(reports) >= 1

    final = Session.open(db_url, readonly=True)
    events = final.log.read_events()
    assert ev.chain_problems(events) == []
    # The test's own count of what the writer does: the opening, its seat joining (the seat's public
    # key, before its first signed event), one attendance per member, and on each item its opening,
    # one answer per member and its close.
    assert len(events) == 1 + 1 + MEMBERS + ITEMS * (1 + MEMBERS + 1)
    answers = Counter((e.payload["item_id"], e.payload["member_id"]) for e in events if e.kind == ev.VOTE_RECORDED)
    assert len(answers) == MEMBERS * ITEMS and set(answers.values()) == {1}  # each member once per item
    for item_id in final.state.item_order:
        given = Counter(e.payload["vote"] for e in events
                        if e.kind == ev.VOTE_RECORDED and e.payload["item_id"] == item_id)
        tally = final.state.tally(item_id)
        assert (tally.yes, tally.no, tally.abstain) == (given["yes"], given["no"], given["abstain"])
        assert given["yes"] == given["no"] and sum(given.values()) == MEMBERS
    readers_seen = [int(r_out.split()[2]) for r_out, _ in results]
    assert readers_seen == [len(events)] * 3  # every reader followed to the last event
    final.close_log()
    print(f"{len(events)} events; reader refreshes {[r.split()[1] for r, _ in results]}; {len(reports)} reports")
