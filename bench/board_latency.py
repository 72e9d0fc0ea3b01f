"""Commit → event received on 1,000 viewers of ``near-tui board``, while a clerk votes 10 times a second.

The board runs as the user starts it (``near-tui board``, a child process) on a session with as
many members as votes to record, all present, and a roll call open. This process opens
``--viewers`` Server-Sent Events streams to it from one asyncio loop (bare protocols: see
``Viewer``), then starts a writer process that records one vote every 1/``--rate`` seconds for
``--seconds`` seconds and prints the CLOCK_MONOTONIC time of each commit (one clock for every
process on Linux) with the log position it reached. Each viewer notes when each message reached
it and the log position it holds (``events``): a vote is seen by a viewer when a message at or
past its position arrives (two votes within one poll of the board reach viewers as one message).
The latency of a vote on a viewer is receipt − commit; it includes the time this client, itself
one busy process on the same CPUs, takes to get to the socket: an upper bound of what a browser
on another machine would see.

    .venv/bin/python bench/board_latency.py            # 1,000 viewers, 10 votes/s for 30 s
    .venv/bin/python bench/board_latency.py --quick    # 200 viewers, 10 votes/s for 5 s

Prints the machine, p50 / p95 / max latency over every (vote, viewer) pair, the pairs never
seen, the viewers dropped, and the board's peak RSS (``VmHWM``) and CPU time.
Targets: p95 ≤ 250 ms, no viewer dropped, peak RSS ≤ 150 MiB.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import platform
import resource
import socket
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import synthetic  # noqa: E402

EVENTS = b'"events":'


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------ the clerk
def writer(db: str, rate: float, votes: int) -> None:
    """Record ``votes`` answers at ``rate`` a second on a fixed schedule; print each commit."""
    from near_tui.service.session import Session

    session = Session.open(db)
    members = [m for m in session.state.call_order("1") if session.state.is_present(m)]
    start = time.monotonic() + 0.2
    for n, member_id in enumerate(members[:votes]):
        delay = start + n / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        session.record_vote("1", member_id, ("yes", "no", "abstain")[n % 3], expected=None)
        print(f"{time.monotonic():.6f} {session.state.last_seq}", flush=True)
    session.close_log()


def make_session(folder: Path, members: int) -> str:
    from near_tui.service.session import Session

    db = str(folder / "board-bench.sqlite")
    session = Session.create(synthetic.definition(members, items=3), db)
    session.record(synthetic.attendance_actions(members))
    session.open_vote("1")
    session.close_log()
    return db


# ------------------------------------------------------------------ the viewers
class Viewer(asyncio.Protocol):
    """One viewer's stream, read at the socket: when each message arrives, and its log position.

    A bare protocol rather than an HTTP client library: this process shares the machine's CPUs
    with the board, so it does as little as it can per message (no task, no parsing of the JSON).
    Each message arrives as one HTTP chunk; chunk-size lines never fall inside a message.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.positions: list[int] = []  # the log position (events) of each message, as it arrived
        self.times: list[float] = []  # when it arrived
        self.ended: str | None = None  # why the stream ended early, if it did
        self.stopping = False
        self.headers = True
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")

    def data_received(self, data: bytes) -> None:
        now = self.loop.time()
        self.buffer += data
        if self.headers:
            head, found, rest = self.buffer.partition(b"\r\n\r\n")
            if not found:
                return
            if not head.startswith(b"HTTP/1.1 200"):
                self.ended = head.split(b"\r\n", 1)[0].decode(errors="replace")
            self.headers, self.buffer = False, rest
        # Only the log position is needed: found by bytes, not by parsing each message.
        *messages, self.buffer = self.buffer.split(b"\n\n")
        for message in messages:
            at = message.find(EVENTS)
            if at >= 0:
                end = at + len(EVENTS)
                while message[end:end + 1].isdigit():
                    end += 1
                self.positions.append(int(message[at + len(EVENTS):end]))
                self.times.append(now)

    def connection_lost(self, exc) -> None:
        if not self.stopping:
            self.ended = f"connection lost ({exc or 'closed by the board'})"

    def seen_at(self, seq: int) -> float | None:
        """When the first message at or past log position ``seq`` arrived."""
        i = bisect.bisect_left(self.positions, seq)
        return self.times[i] if i < len(self.positions) else None


def rss_and_cpu(pid: int) -> tuple[int, int, float]:
    """(VmHWM KiB, VmRSS KiB, CPU seconds) of a process."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return int(status["VmHWM"].split()[0]), int(status["VmRSS"].split()[0]), cpu


async def run(db: str, viewers: int, rate: float, seconds: float) -> dict:
    port = free_port()
    board = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "near_tui", "board", "--db", db, "--port", str(port),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = await asyncio.wait_for(board.stdout.readline(), 60)
    if b"live on" not in line:
        raise SystemExit(f"the board did not start: {line!r} {await board.stderr.read()!r}")
    _, idle_rss, _ = rss_and_cpu(board.pid)

    loop = asyncio.get_running_loop()
    crowd = [Viewer(loop) for _ in range(viewers)]
    for batch in range(0, viewers, 100):  # a hundred at a time, as a crowd would arrive
        await asyncio.gather(*(loop.create_connection(lambda v=v: v, "127.0.0.1", port)
                               for v in crowd[batch:batch + 100]))
        await asyncio.sleep(0.05)
    deadline = loop.time() + 60
    while sum(1 for v in crowd if v.times) < viewers and loop.time() < deadline:
        await asyncio.sleep(0.1)  # everybody has the first (whole) state
    connected = sum(1 for v in crowd if v.times)
    _, rss_connected, cpu_before = rss_and_cpu(board.pid)
    own_before = resource.getrusage(resource.RUSAGE_SELF)

    votes = int(rate * seconds)
    clerk = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--writer", db, "--rate", str(rate), "--votes", str(votes),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    commits: list[tuple[float, int]] = []
    while True:
        out = await clerk.stdout.readline()
        if not out:
            break
        stamp, seq = out.split()
        commits.append((float(stamp), int(seq)))
    await clerk.wait()
    if clerk.returncode != 0:
        raise SystemExit(f"the writer failed: {(await clerk.stderr.read()).decode()}")
    await asyncio.sleep(2.0)  # the last vote's stragglers
    peak_rss, rss_end, cpu_after = rss_and_cpu(board.pid)
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    for viewer in crowd:
        viewer.stopping = True
        viewer.transport.close()
    board.terminate()
    await board.wait()

    latencies, missed, first, last = [], 0, [], []
    for committed, seq in commits:
        these = []
        for viewer in crowd:
            seen = viewer.seen_at(seq)
            if seen is None:
                missed += 1
            else:
                these.append(seen - committed)
        if these:
            latencies += these
            first.append(min(these))
            last.append(max(these))
    return {
        "viewers": viewers, "connected": connected, "votes": len(commits), "latencies": latencies,
        "missed": missed, "dropped": [v.ended for v in crowd if v.ended],
        "peak_rss": peak_rss, "idle_rss": idle_rss, "rss_connected": rss_connected, "rss_end": rss_end,
        "cpu": cpu_after - cpu_before, "first": first, "last": last,
        "client_cpu": (own_after.ru_utime + own_after.ru_stime) - (own_before.ru_utime + own_before.ru_stime),
        "span": commits[-1][0] - commits[0][0] if commits else 0.0,
    }


def raise_open_files_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def main() -> None:
    load = os.getloadavg()[0]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 viewers for 5 s (a smoke run)")
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="votes a second (default 10)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the clerk votes (default 30)")
    parser.add_argument("--writer", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--votes", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer(args.writer, args.rate, args.votes)
        return
    if args.quick:
        args.viewers, args.seconds = min(args.viewers, 200), 5.0
    raise_open_files_limit(args.viewers + 256)
    members = int(args.rate * args.seconds) + 10
    with tempfile.TemporaryDirectory() as folder:
        db = make_session(Path(folder), members)
        r = asyncio.run(run(db, args.viewers, args.rate, args.seconds))
    lat = [x * 1000 for x in r["latencies"]]
    print(f"machine: {platform.platform()} · {platform.python_implementation()} {platform.python_version()}"
          f" · {os.cpu_count()} CPUs · {platform.processor() or platform.machine()}")
    print(f"board: one process · {r['viewers']} viewers on loopback ({r['connected']} had the state before the "
          f"first vote) · {members} members present, one roll call open")
    print(f"clerk: {r['votes']} votes in {r['span']:.1f} s ({r['votes'] / max(r['span'], 1e-9):.1f}/s)")
    if lat:
        p95 = percentile(lat, 95)
        print(f"commit → event received, over {len(lat)} (vote, viewer) pairs: p50 {percentile(lat, 50):.0f} ms · "
              f"p95 {p95:.0f} ms · max {max(lat):.0f} ms   target p95 ≤ 250 ms [{'met' if p95 <= 250 else 'MISSED'}]")
        print(f"  per vote, the first viewer to get it: p50 {percentile([x * 1000 for x in r['first']], 50):.0f} ms"
              f" · the last: p50 {percentile([x * 1000 for x in r['last']], 50):.0f} ms")
    print(f"votes never seen by a viewer: {r['missed']} of {r['votes'] * r['viewers']} (vote, viewer) pairs")
    print(f"viewers dropped: {len(r['dropped'])}   target 0 [{'met' if not r['dropped'] else 'MISSED'}]"
          + (f" — first: {r['dropped'][0]}" if r["dropped"] else ""))
    peak = r["peak_rss"] / 1024
    print(f"board RSS: started {r['idle_rss'] / 1024:.0f} MiB · with the viewers {r['rss_connected'] / 1024:.0f} MiB"
          f" · peak {peak:.0f} MiB   target ≤ 150 MiB [{'met' if peak <= 150 else 'MISSED'}]")
    print(f"CPU while the clerk voted: board {r['cpu']:.1f} s · these viewers {r['client_cpu']:.1f} s"
          f" · in {r['span']:.1f} s · load average before the run {load:.1f}")


if __name__ == "__main__":
    main()
