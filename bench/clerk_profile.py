"""Per-key latency of the clerk's roll call, with an optional profile.

    .venv/bin/python bench/clerk_profile.py                 # p50/p95 of y/n, cursor moves, an unbound key
    .venv/bin/python bench/clerk_profile.py --keys 60 --profile out.prof   # cProfile of the voting keys
    .venv/bin/python bench/clerk_profile.py --startup 7     # spawn to first frame + peak RSS, vs hello-world

Builds the 12th GA sample (attendance and letters imported), opens the roll call
of item 2 and drives ``ClerkApp`` headless at 120×40. Each figure is the time
``await pilot.press(key)`` takes: the key handled, any vote committed, the app
idle again after its repaint. Kinds of key are interleaved so load affects all alike.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def build_db(folder: Path) -> str:
    from helpers import GA12, GA12_ATTENDANCE, GA12_LETTERS, FixedClock
    from near_tui.agenda_file import load_agenda
    from near_tui.imports import import_file
    from near_tui.session import Session

    db = str(folder / "ga12.sqlite")
    session = Session.create(load_agenda(GA12), db, clock=FixedClock())
    import_file(session, "attendance", GA12_ATTENDANCE)
    import_file(session, "letters", GA12_LETTERS)
    session.open_vote("2")
    session.close_log()
    return db


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


PROFILED = "vote"  # the kind of key the profile covers (--profile-kind)


async def run(db: str, keys: int, profile: str | None) -> None:
    from near_tui.clerk.app import build_app

    app = build_app(db)
    times: dict[str, list[float]] = {"vote": [], "cursor": [], "unbound": []}
    frames: dict[str, list[float]] = {"vote": [], "cursor": [], "unbound": []}
    first: dict[str, list[float]] = {"vote": [], "cursor": [], "unbound": []}
    counts: dict[str, list[int]] = {"vote": [], "cursor": [], "unbound": []}
    painted: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:  # the frame handed to the terminal (headless: dropped)
        display(screen, renderable)
        if renderable is not None:
            painted.append(time.perf_counter())

    app._display = timed_display
    prof = cProfile.Profile() if profile else None
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        before = app.session.state.last_seq
        for n in range(keys):
            # down then up: the cursor is back on the member to call before the next answer
            for kind, key in (("vote", "y" if n % 2 == 0 else "n"), ("unbound", "z"),
                              ("cursor", "down"), ("cursor", "up")):
                if prof and kind == PROFILED:
                    prof.enable()
                painted.clear()
                start = time.perf_counter()
                await pilot.press(key)
                times[kind].append(time.perf_counter() - start)
                counts[kind].append(len(painted))
                if painted:
                    frames[kind].append(painted[-1] - start)
                    first[kind].append(painted[0] - start)
                if prof and kind == PROFILED:
                    prof.disable()
        recorded = app.session.state.last_seq - before
    assert recorded == keys, f"{keys} keys recorded {recorded} events"
    print("key → first / last frame painted (what the clerk sees; headless frames are composed, not written):")
    for kind, samples in frames.items():
        if samples:
            print(f"  {kind:8} first p50 {pct(first[kind], .5):6.1f} p95 {pct(first[kind], .95):6.1f} ms · "
                  f"last p50 {pct(samples, .5):6.1f} p95 {pct(samples, .95):6.1f} ms · "
                  f"{statistics.mean(counts[kind]):.1f} frames/key (n={len(samples)})")
    print("await pilot.press(key) (includes the pilot's idle waits, >= 40 ms):")
    for kind, samples in times.items():
        print(f"  {kind:8} p50 {pct(samples, .5):6.1f} ms  p95 {pct(samples, .95):6.1f} ms  "
              f"mean {statistics.mean(samples) * 1000:6.1f} ms  (n={len(samples)})")
    if prof:
        prof.dump_stats(profile)
        print(f"profile written to {profile}")


def startup(db: str, runs: int) -> None:
    """Spawn-to-first-frame and peak RSS of the clerk beside a Textual hello-world (bench/tui_probe.py)."""
    import subprocess

    probe = Path(__file__).resolve().parent / "tui_probe.py"
    figures: dict[str, list[tuple[float, int]]] = {"hello": [], "clerk": []}
    for _ in range(runs):
        for name, args in (("hello", ["hello"]), ("clerk", ["clerk", db])):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, str(probe), *args], capture_output=True, text=True,
                                 stdin=subprocess.DEVNULL, timeout=60).stdout
            line = next(text for text in out.splitlines() if text.startswith("FRAME "))
            figures[name].append((time.perf_counter() - start, int(line.split()[2])))
    for name, samples in figures.items():
        print(f"{name:6} start-up median {statistics.median(t for t, _ in samples) * 1000:6.0f} ms  "
              f"peak RSS median {statistics.median(k for _, k in samples) / 1024:5.1f} MiB  (n={runs})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--profile")
    parser.add_argument("--startup", type=int, default=0, metavar="N",
                        help="instead: start-up to first frame and peak RSS, N runs each")
    parser.add_argument("--profile-kind", default="vote", choices=("vote", "cursor", "unbound"))
    args = parser.parse_args()
    global PROFILED
    PROFILED = args.profile_kind
    with tempfile.TemporaryDirectory() as tmp:
        db = build_db(Path(tmp))
        if args.startup:
            startup(db, args.startup)
        else:
            asyncio.run(run(db, args.keys, args.profile))


if __name__ == "__main__":
    main()
