"""near_tui benchmarks, each measured side by side with its baseline in the same run.

    .venv/bin/python bench/run.py           # full figures (bench/RESULTS.md)
    .venv/bin/python bench/run.py --quick   # fewer samples, for CI: prints figures, asserts nothing

Figures and targets (the clerk's keys):
  keypress → painted on the clerk's roll call, p95, against a bare app updating one Static ≤ 1.25×
  (beside a bare 79-row DataTable doing one update_cell + cursor move, for context; bench/keypaint.py)

Figures and targets (durable writes, scale, start-up):
  keypress → durable commit → repaint, p95, against a bare fsync'ed SQLite insert ....... ≤ 1.5×
  (the same clerk keys as above, each preceded by one bare insert)
  per-vote cost with 79, 1,000 and 10,000 members (slowest median / fastest) ........... ≤ 1.2×
  `near-tui report` for 10,000 members × 50 items ...................................... < 1 s
  start-up to first frame, clerk console against a bare Textual hello-world ............ ≤ 2×
  peak RSS, clerk console against the hello-world ...................................... ≤ 1.5×
  `near-tui --help` (beside a bare `python -c pass`, for the interpreter's own share) ... < 0.2 s

    .venv/bin/python bench/run.py --startup # only the three start-up figures
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import keypaint  # noqa: E402
import synthetic  # noqa: E402

from near_tui.core import events as ev  # noqa: E402
from near_tui.service.session import Session  # noqa: E402


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def ms_pair(a: float, b: float) -> str:
    return f"{a * 1000:.1f} / {b * 1000:.1f} ms"


def line(name: str, value: str, target: str, met: bool | None, label: str = "target") -> None:
    """One figure; ``label="·"`` for a line that gives context and has no target."""
    verdict = "" if met is None else ("  [met]" if met else "  [MISSED]")
    print(f"{name:<44} {value:<46} {label} {target}{verdict}", flush=True)


# ------------------------------------------------------------------ baseline
class BareInsert:
    """The floor: one row, one transaction, WAL + synchronous=FULL, as the session log does."""

    def __init__(self, folder: Path) -> None:
        self.conn = sqlite3.connect(folder / "bare.sqlite", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        self.n = 0

    def once(self) -> float:
        self.n += 1
        payload = f'{{"item_id":"1","member_id":"m-{self.n:05d}","vote":"yes"}}'
        start = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (payload) VALUES (?)", (payload,))
        self.conn.execute("COMMIT")
        return time.perf_counter() - start


# ------------------------------------------------------- keypress → painted
def new_session(folder: Path, members: int, items: int = 2, name: str = "s") -> str:
    db = str(folder / f"{name}-{members}.sqlite")
    session = Session.create(synthetic.definition(members, items), db)
    session.record(synthetic.attendance_actions(members))
    session.open_vote("1")
    session.close_log()
    return db


def keypress_kinds(folder: Path, batches: int) -> list[keypaint.Kind]:
    roll_calls = keypaint.RollCalls(folder, batches)
    return [
        keypaint.Kind("one-Static floor", keypaint.floor_app, ("y", "n")),
        keypaint.Kind("DataTable reference", keypaint.table_app, ("y", "n")),
        keypaint.Kind("clerk roll call", lambda: keypaint.clerk_app(roll_calls), ("y", "n"),
                      progress=keypaint.clerk_progress),
        keypaint.Kind("unbound key", keypaint.floor_app, ("z",), expect_frames=False),
    ]


def p50(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def keypress_figures(folder: Path, bare: BareInsert, quick: bool) -> None:
    per_batch = 15 if quick else 25  # + 1 warm-up key: at most 79, so every clerk key is a first answer
    batches = 2 if quick else 8  # 30 / 200 samples of each app
    assert per_batch + 1 <= keypaint.ROSTER
    kinds = keypress_kinds(folder, batches)
    inserts: list[float] = []
    asyncio.run(keypaint.interleaved(kinds, batches, per_batch, between=lambda: inserts.append(bare.once())))
    by = {kind.name: kind.samples for kind in kinds}
    for kind in kinds:
        s = kind.samples
        frame = f" · frame {ms_pair(p50(s.frame), p95(s.frame))}" if s.frame else " · no frame"
        line(f"key→painted p50 / p95, {kind.name}", ms_pair(p50(s.press), p95(s.press)) + frame,
             f"n={len(s.press)}, {statistics.mean(s.frames):.1f} frames/key, CPU {p50(s.cpu) * 1000:.1f} ms/key, "
             f"full GC in {s.full_gc}", None, label="·")
        if s.unpainted or s.unsettled:
            print(f"  note: {kind.name}: {s.unpainted} keys painted no frame, {s.unsettled} left a repaint pending")
    floor, table, clerk = by["one-Static floor"], by["DataTable reference"], by["clerk roll call"]
    ratio = p95(clerk.press) / p95(floor.press)
    line("key→painted p95, clerk / one-Static floor", f"{ms(p95(clerk.press))} / {ms(p95(floor.press))} = {ratio:.2f}×",
         "≤ 1.25×", ratio <= 1.25)
    ref = p95(table.press) / p95(floor.press)
    line("key→painted p95, DataTable / one-Static", f"{ms(p95(table.press))} / {ms(p95(floor.press))} = {ref:.2f}×",
         "reference: plain update_cell", None, label="·")
    if clerk.frame and floor.frame and table.frame:
        frame = p95(clerk.frame) / p95(floor.frame)
        line("key→last frame p95, clerk / one-Static", f"{ms(p95(clerk.frame))} / {ms(p95(floor.frame))} = {frame:.2f}×",
             f"no pilot windows; DataTable {p95(table.frame) / p95(floor.frame):.2f}×", None, label="·")
    cpu = p50(clerk.cpu) / p50(floor.cpu)
    line("CPU per key p50, clerk / one-Static", f"{ms(p50(clerk.cpu))} / {ms(p50(floor.cpu))} = {cpu:.2f}×",
         f"load-independent view; DataTable {p50(table.cpu) / p50(floor.cpu):.2f}×", None, label="·")
    # the same clerk keys against the bare fsync'ed insert that preceded every key
    ratio = p95(clerk.press) / p95(inserts)
    line("keypress→commit→repaint p95 / bare insert", f"{ms(p95(clerk.press))} / {ms(p95(inserts))} = {ratio:.2f}×",
         "≤ 1.5×", ratio <= 1.5)


# ------------------------------------------------------------ follower poll
POLL_KINDS = ("follow, nothing new", "one-shot, nothing new", "follow, after a commit", "one-shot, after a commit")


def poll_cpu(folder: Path, count: int) -> dict[str, list[float]]:
    """CPU seconds of one poll of a live session's log, the way a follower makes it ten times a
    second (``SessionLog(readonly=True, follow=True)``: one kept connection, ``data_version`` first)
    beside the one-shot reader followers used before (a new connection and two queries through the
    Core), each with nothing new and just after a commit; the two kinds interleaved."""
    from near_tui.storage.session_log import SessionLog

    members = 79
    db = new_session(folder, members, items=2 * count // members + 2, name="poll")
    writer = Session.open(db)
    logs = {"follow": SessionLog(db, readonly=True, follow=True), "one-shot": SessionLog(db, readonly=True)}
    samples: dict[str, list[float]] = {key: [] for key in POLL_KINDS}
    item, member = 1, 0
    for _ in range(count):
        for kind, log in logs.items():
            member += 1
            if member > members:  # everyone has answered: the next roll call (not timed)
                writer.close_vote(str(item))
                item, member = item + 1, 1
                writer.open_vote(str(item))
            seq, head = writer.state.last_seq, writer.state.head
            writer.record_vote(str(item), synthetic.member_id(member), "yes")
            for when, after in (("after a commit", (seq, head)), ("nothing new", (writer.state.last_seq,
                                                                                 writer.state.head))):
                start = time.process_time()
                log.read_events(after[0], head=after[1])
                samples[f"{kind}, {when}"].append(time.process_time() - start)
    for log in logs.values():
        log.dispose()
    writer.close_log()
    return samples


# ----------------------------------------------------------------- per vote
def per_vote(folder: Path, members: int, count: int) -> list[float]:
    warm_up = 5  # the first statements of a process are compiled and cached: not a vote's cost
    items = (count + warm_up) // members + 1
    db = new_session(folder, members, items=items, name="vote")
    session = Session.open(db)
    samples = []
    item = 1
    for n in range(count + warm_up):
        member = n % members + 1
        if n and member == 1:  # a small roster is all called: next roll call (not timed)
            session.close_vote(str(item))
            item += 1
            session.open_vote(str(item))
        start = time.perf_counter()
        session.record_vote(str(item), synthetic.member_id(member), ("yes", "no", "abstain")[n % 3])
        samples.append(time.perf_counter() - start)
    session.close_log()
    return samples[warm_up:]


# ------------------------------------------------------------------- report
def report_db(folder: Path, members: int, items: int) -> str:
    """Every member present and voting on every item: the largest log such a session makes."""
    db = str(folder / f"report-{members}x{items}.sqlite")
    session = Session.create(synthetic.definition(members, items), db)
    session.record(synthetic.attendance_actions(members))
    for i in range(1, items + 1):
        item_id = str(i)
        session.record([(ev.VOTE_OPENED, {"item_id": item_id, "order": "roster"})])
        session.record([(ev.VOTE_RECORDED, {"item_id": item_id, "member_id": synthetic.member_id(n),
                                            "vote": ("yes", "no", "abstain")[n % 3]})
                        for n in range(1, members + 1)])
        session.close_vote(item_id)  # the intent: its close event carries the frozen tally the report reads
    session.close_log()
    return db


def timed_cli(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "near_tui", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"near-tui {' '.join(args)} failed: {done.stderr}")
    return elapsed


# ---------------------------------------------------------------- start-up
def probe(*args: str) -> tuple[float, int, float]:
    """(seconds from spawn to the first frame, peak RSS KiB, CPU seconds of the process by then)."""
    # An 80x24 terminal, as both Rich and the headless driver read it: without a terminal Rich
    # takes 25 lines and the driver 24, so every app would be laid out and drawn again at once,
    # which no start in a real terminal does (bench/RESULTS.md, start-up).
    env = {**os.environ, "COLUMNS": "80", "LINES": "24"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(HERE / "tui_probe.py"), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL, env=env)
    for text in proc.stdout:
        if text.startswith("FRAME "):
            elapsed = time.perf_counter() - start
            _, _, peak, cpu = text.split()
            break
    else:
        raise SystemExit(f"tui_probe {args} drew no frame: {proc.stderr.read()}")
    proc.communicate(timeout=60)
    return elapsed, int(peak), float(cpu)


def compile_package() -> None:
    """Write near_tui's bytecode, as installing the package does. With PYTHONDONTWRITEBYTECODE set
    (as on some CI and development machines) every start would compile each module from source,
    a cost the hello-world, whose Textual is installed compiled, never pays."""
    import near_tui

    compileall.compile_dir(Path(near_tui.__file__).parent, quiet=1)


def startup_figures(db: str, tries: int) -> None:
    """The clerk's first frame and peak memory against a Textual hello-world, and `near-tui --help`
    against a bare interpreter; each pair alternates, so both sides share the machine's load."""
    compile_package()
    hello, clerk, bare, helped = [], [], [], []
    for _ in range(tries):
        hello.append(probe("hello"))
        clerk.append(probe("clerk", db))
        bare.append(timed_child("-c", "pass"))
        helped.append(timed_child("-m", "near_tui", "--help"))
    h_time = statistics.median(t for t, _, _ in hello)
    c_time = statistics.median(t for t, _, _ in clerk)
    line("start-up to first frame, clerk / hello", f"{c_time:.2f} s / {h_time:.2f} s = {c_time / h_time:.2f}×",
         "≤ 2×", c_time / h_time <= 2)
    # CPU time to the first frame: what a busy machine inflates least (the wall figure waits for the cores).
    h_cpu = statistics.median(c for _, _, c in hello)
    c_cpu = statistics.median(c for _, _, c in clerk)
    line("CPU to first frame, clerk / hello", f"{c_cpu:.2f} s / {h_cpu:.2f} s = {c_cpu / h_cpu:.2f}×", "", None,
         label="·")
    h_rss = max(r for _, r, _ in hello)
    c_rss = max(r for _, r, _ in clerk)
    line("peak RSS, clerk / hello", f"{c_rss / 1024:.1f} MiB / {h_rss / 1024:.1f} MiB = {c_rss / h_rss:.2f}×",
         "≤ 1.5×", c_rss / h_rss <= 1.5)
    help_time, bare_time = statistics.median(t for t, _ in helped), statistics.median(t for t, _ in bare)
    line("near-tui --help / python -c pass", f"{help_time:.2f} s / {bare_time:.2f} s = {help_time / bare_time:.2f}×",
         "< 0.2 s", help_time < 0.2)
    # CPU time is what a busy machine inflates least: the wall figure above waits for the cores too.
    help_cpu, bare_cpu = statistics.median(c for _, c in helped), statistics.median(c for _, c in bare)
    line("near-tui --help CPU / python -c pass CPU", f"{help_cpu:.2f} s / {bare_cpu:.2f} s", "", None, label="·")


def timed_child(*args: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.system()} {platform.release()}, load {load:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer samples and a smaller report session (CI)")
    parser.add_argument("--startup", action="store_true", help="only the start-up figures (first frame, RSS, --help)")
    args = parser.parse_args()
    quick = args.quick
    print(f"machine: {machine()}")
    print(f"mode: {'quick (CI smoke run; figures are indicative)' if quick else 'full'}")
    if args.startup:
        with tempfile.TemporaryDirectory(prefix="near-bench-") as tmp:
            startup_figures(new_session(Path(tmp), 79, name="keys"), 2 if quick else 7)
        print("bench: done")
        return

    with tempfile.TemporaryDirectory(prefix="near-bench-") as tmp:
        folder = Path(tmp)
        bare = BareInsert(folder)
        for _ in range(20):
            bare.once()  # warm the file and the page cache

        # 1. keypress → painted, and → durable commit → repaint against a bare insert
        keypress_figures(folder, bare, quick)
        db = new_session(folder, 79, name="keys")  # the start-up probes' roll call

        # 1b. what a follower's poll costs the process it runs in (a second seat draws in it)
        polls = poll_cpu(folder, 50 if quick else 300)
        for how in ("nothing new", "after a commit"):
            mine, before = p50(polls[f"follow, {how}"]), p50(polls[f"one-shot, {how}"])
            line(f"follower poll CPU p50, {how}", f"{ms(mine)} / one-shot reader {ms(before)} = {mine / before:.3f}×",
                 "kept connection + data_version vs a new connection per poll", None, label="·")

        # 2. per-vote cost against roster size (and the core's share of figure 1)
        count = 40 if quick else 300
        medians, p95s, floors = {}, {}, []
        for members in (79, 1000, 10000):
            samples = per_vote(folder, members, count)
            medians[members], p95s[members] = statistics.median(samples), p95(samples)
            floors += [bare.once() for _ in range(count)]
        core = p95s[79] / p95(floors)
        line("durable commit alone (record_vote) p95 / bare", f"{ms(p95s[79])} / {ms(p95(floors))} = {core:.2f}×",
             "(the core's share of the 1.5×)", None)
        worst = max(medians.values()) / min(medians.values())
        line("per-vote median, 79 / 1,000 / 10,000", " / ".join(ms(v) for v in medians.values()) + f" → {worst:.2f}×",
             "≤ 1.2×", worst <= 1.2)

        # 3. report at scale
        members, items = (2000, 10) if quick else (10000, 50)
        rdb = report_db(folder, members, items)
        timed_cli("report", "--json", "--db", rdb)  # warm the page cache, as on a second run
        runs = [timed_cli("report", "--json", "--db", rdb) for _ in range(1 if quick else 3)]
        best = min(runs)
        line(f"report --json, {members:,} members × {items} items", f"{best:.2f} s ({members * items:,} votes)",
             "< 1 s", best < 1.0 if not quick else None)

        # 4 + 5 + 6. start-up to first frame, peak memory, --help
        startup_figures(db, 2 if quick else 5)
    print("bench: done")


if __name__ == "__main__":
    main()
