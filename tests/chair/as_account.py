"""Runs the chair's follower, or `near-tui chair`, under another account (the projector's).

Usage (as root): python as_account.py UID GID follow DB SECONDS
                 python as_account.py UID GID chair DB

Everything is imported first, as root, then the process drops to UID/GID (no
supplementary groups) before it touches the session: from then on every file
access is the other account's, exactly as under ``runuser -u projector``. (The
account may not be able to read the Python installation itself, hence the order.)

``follow`` prints one JSON line per change: the account it runs as, then
{"seq", "yes", "no", "abstain", "not_voting", "uncalled", "problem"} each time
the board or the problem changes, until SECONDS have passed or stdin closes.
``chair`` runs the real command line (``near-tui chair --db DB``), full screen when it starts.
"""

from __future__ import annotations

import json
import os
import pwd
import select
import sqlite3  # noqa: F401 — imported before dropping privileges
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import concurrent.futures.thread  # noqa: E402,F401 — thread workers (loaded on first use)

import textual.drivers.linux_driver  # noqa: E402,F401 — the chair's terminal driver, loaded at start

from near_tui.chair import app as _chair_app  # noqa: E402,F401
from near_tui.chair.follower import LogFollower  # noqa: E402
from near_tui.cli.main import main as cli
from near_tui.core.errors import NearError  # noqa: E402


def drop_to(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def emit(**values) -> None:
    print(json.dumps(values), flush=True)


def follow(db: str, seconds: float) -> None:
    emit(account=pwd.getpwuid(os.geteuid()).pw_name, uid=os.geteuid())
    try:
        follower = LogFollower(db)
    except NearError as exc:
        emit(refused=str(exc))
        return
    board, problem = follower.board, None
    shown = None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        vote = board.vote
        now = {"seq": board.seq, "problem": problem}
        if vote is not None:
            now.update(yes=vote.yes, no=vote.no, abstain=vote.abstain, not_voting=vote.not_voting,
                       uncalled=vote.uncalled)
        if now != shown:
            emit(**now)
            shown = now
        ready, _, _ = select.select([sys.stdin], [], [], 0.1)
        if ready and not sys.stdin.readline():
            break  # the test closed our stdin: done
        poll = follower.poll()
        problem = poll.problem
        if poll.board is not None:
            board = poll.board
    follower.close()


if __name__ == "__main__":
    uid, gid, role = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    drop_to(uid, gid)
    if role == "follow":
        follow(sys.argv[4], float(sys.argv[5]))
    else:
        cli.main(["chair", "--db", sys.argv[4]], prog_name="near-tui")
