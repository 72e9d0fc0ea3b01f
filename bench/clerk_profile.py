"""Per-key latency of the clerk's roll call, with an optional profile.

    .venv/bin/python bench/clerk_profile.py                 # p50/p95 of y/n, cursor moves, an unbound key
    .venv/bin/python bench/clerk_profile.py --keys 60 --profile out.prof   # cProfile of the voting keys
    .venv/bin/python bench/clerk_profile.py --startup 7     # spawn to first frame + peak RSS, vs hello-world
    .venv/bin/python bench/clerk_profile.py --where         # where one batch of roll-call keys spends its time

Builds the 12th GA sample (attendance and letters imported), opens the roll call
of item 2 and drives ``ClerkApp`` headless at 120×40. Each figure is the time
``await pilot.press(key)`` takes: the key handled, any vote committed, the app
idle again after its repaint. Kinds of key are interleaved so load affects all alike.

``--where`` drives the roll call exactly as ``bench/run.py`` measures it (79 present
members, a fresh roll call, one warm-up key, then y / n alternately: every key a first
answer) and prints where the keys' time goes: pyinstrument's call tree if pyinstrument is
installed, else cProfile's top functions by cumulative and by own time (``--top``, 25),
leaving out the event loop and the pilot's idle waits. ``--profile FILE`` uses cProfile and
also writes its data (snakeviz, ``python -m pstats``); ``--cprofile`` uses cProfile even when
pyinstrument is installed. It also prints the garbage collections during the keys and the
lines each widget re-rendered per key.
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
sys.path.insert(0, str(ROOT / "bench"))


def build_db(folder: Path) -> str:
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.imports import import_file
    from near_tui.service.session import Session
    from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, FixedClock

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

# ------------------------------------------------------------------ --where
# Frames that are the pilot waiting for the app to go idle, or the event loop itself: not the key's work.
WAITING = ("asyncio/", "selectors.py", "textual/pilot.py", "textual/_wait.py", "method 'poll' of 'select",
           "method 'select' of 'select", "method 'run' of '_contextvars.Context'", "clerk_profile.py")


def _label(func: tuple[str, int, str]) -> str:
    filename, lineno, name = func
    if filename == "~":
        return name
    parts = Path(filename).parts
    for anchor in ("site-packages", "lib"):
        if anchor in parts:
            parts = parts[len(parts) - parts[::-1].index(anchor):]
            break
    else:
        try:
            parts = Path(filename).resolve().relative_to(ROOT).parts
        except ValueError:
            pass
    return f"{'/'.join(parts)}:{lineno}({name})"


def _print_cprofile(prof: cProfile.Profile, keys: int, top: int) -> None:
    import pstats

    stats = pstats.Stats(prof).stats  # {func: (primitive calls, calls, own time, cumulative, callers)}
    rows = [(func, calls, own, cum) for func, (_prim, calls, own, cum, _callers) in stats.items()
            if not any(mark in _label(func) or mark in func[0] for mark in WAITING)]
    for title, index in (("cumulative", 3), ("own time", 2)):
        print(f"\ntop {top} by {title} (ms per key; event loop and pilot waits left out):")
        print(f"  {'cum ms':>8} {'own ms':>8} {'calls/key':>9}  function")
        for func, calls, own, cum in sorted(rows, key=lambda row: row[index], reverse=True)[:top]:
            print(f"  {cum / keys * 1000:8.2f} {own / keys * 1000:8.2f} {calls / keys:9.1f}  {_label(func)}")


async def where(folder: Path, keys: int, top: int, dump: str | None, use_cprofile: bool) -> None:
    import gc

    import keypaint

    profiler = None
    if not use_cprofile and not dump:  # --profile FILE writes cProfile data: cProfile alone then
        try:
            from pyinstrument import Profiler
            profiler = Profiler(interval=0.0005, async_mode="disabled")
        except ImportError:
            print("pyinstrument is not installed: cProfile (about 2× slower under the profiler)")
    prof = cProfile.Profile() if profiler is None else None
    if keys + 1 > keypaint.ROSTER:
        raise SystemExit(f"--keys {keys}: at most {keypaint.ROSTER - 1}, so that every key answers a new member")
    app = keypaint.clerk_app(keypaint.RollCalls(folder, 1))
    clock = keypaint.FrameClock(app)
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}  # generation -> pause of each collection
    started: list[float] = []

    def on_gc(phase: str, info: dict) -> None:  # collections while the keys ran
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses[info["generation"]].append(time.perf_counter() - started.pop())

    from collections import Counter

    from textual._styles_cache import StylesCache

    # Lines each widget re-rendered while the keys ran (lines not dirty come from the widget's
    # line cache and are not counted). Textual internals, patched in this process only.
    lines: Counter[str] = Counter()
    render_widget, render_line = StylesCache.render_widget, StylesCache.render_line
    rendering: list[str] = []
    counting = False

    def widget_rendered(cache, widget, crop):
        rendering.append(type(widget).__name__ + (f"#{widget.id}" if widget.id else ""))
        try:
            return render_widget(cache, widget, crop)
        finally:
            rendering.pop()

    def line_rendered(cache, *args, **kwargs):
        if counting and rendering:
            lines[rendering[-1]] += 1
        return render_line(cache, *args, **kwargs)

    press, frame, cpu = [], [], 0.0
    StylesCache.render_widget, StylesCache.render_line = widget_rendered, line_rendered
    async with app.run_test(headless=True, size=keypaint.SIZE) as pilot:
        await pilot.pause()
        await pilot.press("y")  # the warm-up key, as in bench/run.py
        before = keypaint.clerk_progress(app)
        gc.collect()
        gc.callbacks.append(on_gc)
        counting = True
        if profiler is not None:
            profiler.start()
        for n in range(keys):
            clock.painted.clear()
            if prof is not None:
                prof.enable()
            start, cpu_start = time.perf_counter(), time.process_time()
            await pilot.press("y" if n % 2 == 0 else "n")
            cpu += time.process_time() - cpu_start
            press.append(time.perf_counter() - start)
            if prof is not None:
                prof.disable()
            if clock.painted:
                frame.append(clock.painted[-1] - start)
        if profiler is not None:
            profiler.stop()
        counting = False
        gc.callbacks.remove(on_gc)
        after = keypaint.clerk_progress(app)
    if after[0] - before[0] != keys or before[1] - after[1] != keys:
        raise SystemExit(f"{keys} keys recorded {after[0] - before[0]} events and called {before[1] - after[1]} "
                         "members: the roll call did not vote on a new member at each key")
    print(f"{keys} roll-call keys on 79 present members (under the profiler, so slower than bench/run.py):")
    print(f"  pilot.press p50 {pct(press, .5):6.1f} ms  p95 {pct(press, .95):6.1f} ms · "
          f"key → last frame p50 {pct(frame, .5):6.1f} ms  p95 {pct(frame, .95):6.1f} ms")
    print(f"  CPU {cpu / keys * 1000:.1f} ms per key (process time, pilot waits included)")
    print("  garbage collections: " + " · ".join(
        f"gen {gen} ×{len(p)} {sum(p) * 1000:.1f} ms (longest {max(p, default=0) * 1000:.1f})"
        for gen, p in pauses.items()))
    print("  lines re-rendered per key, by widget: " + ", ".join(
        f"{name} {n / keys:.1f}" for name, n in lines.most_common()))
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False))
    if prof is not None:
        _print_cprofile(prof, keys, top)
        if dump:
            prof.dump_stats(dump)
            print(f"\ncProfile data written to {dump}")


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
    # The sample has 29 members present, and a vote key after the last one records nothing (docs/clerk.md).
    parser.add_argument("--keys", type=int, help="keys of each kind (default 28, at most 29; --where: 40, at most 78)")
    parser.add_argument("--profile")
    parser.add_argument("--startup", type=int, default=0, metavar="N",
                        help="instead: start-up to first frame and peak RSS, N runs each")
    parser.add_argument("--profile-kind", default="vote", choices=("vote", "cursor", "unbound"))
    parser.add_argument("--where", action="store_true",
                        help="instead: profile one batch of roll-call keys (79 members; --keys, default 40)")
    parser.add_argument("--top", type=int, default=25, help="--where: functions listed (cProfile)")
    parser.add_argument("--cprofile", action="store_true", help="--where: cProfile even if pyinstrument is installed")
    args = parser.parse_args()
    global PROFILED
    PROFILED = args.profile_kind
    if args.where:
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(where(Path(tmp), args.keys or 40, args.top, args.profile, args.cprofile))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = build_db(Path(tmp))
        if args.startup:
            startup(db, args.startup)
        else:
            asyncio.run(run(db, args.keys or 28, args.profile))


if __name__ == "__main__":
    main()
