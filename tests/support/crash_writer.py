"""A clerk-equivalent writer for the crash test: records votes as fast as it can, forever.

``python crash_writer.py DB`` loads its modules once, says ``LOADED`` and then,
for each line ``go ACKFILE`` on stdin, forks a writer process and says
``PID <pid>``. Forking from a loaded parent spares 100 Python start-ups; each
writer is still a separate process with its own database connection, and
nothing is opened before the fork.

A writer opens the session, says ``READY <pid>`` on stdout, and takes up where
the log stands (the open roll call, else the next pending decision): it records
one vote for each present member that has none, closes the roll call and moves
on. After each ``Session`` call returns (the commit is durable) it appends
``ACK <item> <member> <vote>`` to ACKFILE with an unbuffered write, which
survives SIGKILL, so the test knows exactly which votes the writer was told
were recorded. No sleeping: a SIGKILL lands anywhere, inside commits too. It
writes ``DONE`` when every decision is closed.
"""

from __future__ import annotations

import os
import signal
import sys

from near_tui.service.session import Session


def vote_for(member_id: str) -> str:
    # Deterministic per member, so a re-recorded vote could never pass as "the same".
    return ("yes", "no", "abstain")[int(member_id.rsplit("-", 1)[1]) % 3]


def write_votes(db: str, ack_path: str) -> None:
    acks = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def say(line: str) -> None:
        os.write(acks, (line + "\n").encode())

    session = Session.open(db)
    os.write(1, f"READY {os.getpid()}\n".encode())
    state = session.state
    while True:
        item_id = state.open_item
        if item_id is None:
            pending = [i for i in state.item_order if state.items[i].status == "pending"]
            if not pending:
                say("DONE")
                return
            session.open_vote(pending[0])
            say(f"OPENED {pending[0]}")
        else:
            member_id = state.now_calling(item_id)
            if member_id is None:
                session.close_vote(item_id)
                say(f"CLOSED {item_id}")
            else:
                vote = vote_for(member_id)
                session.record_vote(item_id, member_id, vote)
                say(f"ACK {item_id} {member_id} {vote}")
        state = session.state


def main(db: str) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed writers are reaped at once
    print("LOADED", flush=True)
    for line in sys.stdin:
        _, ack_path = line.split(maxsplit=1)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                write_votes(db, ack_path.strip())
            except BaseException as exc:  # noqa: BLE001 — a writer failing is the test's news
                os.write(2, f"writer failed: {exc!r}\n".encode())
                code = 1
            os._exit(code)
        print(f"PID {pid}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
