"""The real clerk console with a mirror, answering a roll call key by key, for the kill test.

``python clerk_mirror_driver.py DB MIRROR ITEM ACKFILE`` builds the app exactly as
``near-tui clerk --db DB --item ITEM --mirror MIRROR`` does (``build_app``), runs it headless
and, like a clerk reading the name on the screen, presses y, n or a for the member being
called, one after the other, with no pause. Once the key's answer is committed (no write is
under way: it is in the database and on the mirror, and drawn) and the app's state shows
it, it appends ``ACK item member vote`` to ACKFILE with an unbuffered write, which
survives SIGKILL. ``READY`` is written first, ``DONE`` when nobody is left to call.
"""

from __future__ import annotations

import asyncio
import os
import sys

from near_tui.clerk.app import build_app
from near_tui.clerk.key_repeat import KeyRepeat

KEYS = {"yes": "y", "no": "n", "abstain": "a"}
ANSWER_WAIT = 60.0  # seconds for one key's answer to be committed, on the most loaded machine


def answer_for(member_id: str) -> str:
    # Deterministic per member: an answer recorded twice, or for the wrong member, shows.
    return ("yes", "no", "abstain")[sum(map(ord, member_id)) % 3]


async def answer_roll_call(db: str, mirror: str, item_id: str, ack_path: str) -> int:
    loop = asyncio.get_running_loop()
    acks = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def say(line: str) -> None:
        os.write(acks, (line + "\n").encode())

    # Keys come as fast as the screen answers, the same key often twice in a row: every key counts.
    app = build_app(db, item=item_id, mirror=mirror, key_repeat=KeyRepeat(0.0, 0.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        say("READY")
        while True:
            member_id = app.state.now_calling(item_id)
            if member_id is None:
                say("DONE")
                return 0
            vote = answer_for(member_id)
            # As a clerk waits for the screen: a key pressed while a write is under way (the opening
            # of the vote at start-up, which the state shows before it is committed) is refused.
            await app.writes_settled()
            await pilot.press(KEYS[vote])
            # Pilot's idle wait takes a process starved of CPU (a loaded machine) for an idle one and
            # may return before the key is handled; so wait for the answer itself: handled, written
            # in the worker and committed (no write under way), bounded so that a lost key fails.
            deadline = loop.time() + ANSWER_WAIT
            while app.writing is not None or app.state.items[item_id].votes.get(member_id) != vote:
                if loop.time() > deadline:
                    now = app.state.items[item_id].votes.get(member_id)
                    wrong = f"WRONG {item_id} {member_id} {vote} {now}"
                    say(wrong)
                    print(wrong, file=sys.stderr)
                    return 1
                await asyncio.sleep(0.005)
            say(f"ACK {item_id} {member_id} {vote}")


if __name__ == "__main__":
    sys.exit(asyncio.run(answer_roll_call(*sys.argv[1:5])))
