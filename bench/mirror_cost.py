"""Per-vote cost with and without a mirror (near_tui/storage/mirror.py), measured side by side.

    .venv/bin/python bench/mirror_cost.py [--votes N] [--folder DIR] [--mirror-folder DIR]

``Session.record_vote`` on a synthetic session (all members present), after 5 warm-up votes;
the same number of votes without a mirror, with the mirror as shipped and, for comparison,
with the mirror in SQLite's other journal modes. Votes alternate between the sessions so that
the disk's mood is shared. Give --mirror-folder on a USB stick to measure a real stick.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

from near_tui.service.session import Session  # noqa: E402
from near_tui.storage import mirror as mirror_module  # noqa: E402
from near_tui.storage.mirror import Mirror  # noqa: E402

WARM_UP = 5


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def setup(folder: Path, name: str, members: int, mirror_folder: Path | None, journal: str | None) -> Session:
    session = Session.create(synthetic.definition(members, 1), str(folder / f"{name}.sqlite"))
    session.record(synthetic.attendance_actions(members))
    if mirror_folder is not None:
        mirror_module.JOURNAL = journal
        Mirror.attach(session, str(mirror_folder / f"{name}-mirror.sqlite"))
    session.open_vote("1")
    return session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=200)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--mirror-folder", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp)
        sticks = args.mirror_folder or Path(tmp)
        members = args.votes + WARM_UP
        shipped = mirror_module.JOURNAL
        runs = {"no mirror": setup(folder, "plain", members, None, None)}
        for journal in (shipped, *(j for j in ("DELETE", "TRUNCATE", "PERSIST", "WAL") if j != shipped)):
            name = f"mirror, journal_mode={journal}" + (" (shipped)" if journal == shipped else "")
            runs[name] = setup(folder, journal.lower(), members, sticks, journal)
        mirror_module.JOURNAL = shipped
        times: dict[str, list[float]] = {name: [] for name in runs}
        for n in range(members):
            for name, session in runs.items():
                member = session.state.now_calling("1")
                start = time.perf_counter()
                session.record_vote("1", member, "yes")
                if n >= WARM_UP:
                    times[name].append(time.perf_counter() - start)
        for session in runs.values():
            session.close_log()
    print(f"per vote, {args.votes} votes each, {members} members present:")
    for name, samples in times.items():
        print(f"  {name:<40} median {statistics.median(samples) * 1000:6.2f} ms   p95 {p95(samples) * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
