"""A clerk-equivalent writer process: records a roll call as fast as the log takes it.

Usage: python clerk_writer.py DB ITEM_ID [--pause SECONDS]
Votes come from the 12th GA sample (agenda/ga12-2018-votes.csv). Prints one
line per committed vote: "<monotonic time> <event seq> <member id>", then "closed".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chair.scenes import sample_votes  # noqa: E402
from near_tui.service.session import Session  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("item")
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--close", action="store_true")
    args = parser.parse_args()
    session = Session.open(args.db)
    session.open_vote(args.item)
    for member_id, vote in sample_votes(args.item):
        (event,) = session.record_vote(args.item, member_id, vote)
        print(f"{time.monotonic():.6f} {event.seq} {member_id}", flush=True)
        if args.pause:
            time.sleep(args.pause)
    if args.close:
        session.close_vote(args.item)
        print("closed", flush=True)
    session.close_log()


if __name__ == "__main__":
    main()
