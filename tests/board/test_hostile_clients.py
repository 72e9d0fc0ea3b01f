"""The board under hostile clients degrades and never floods: real sockets on 127.0.0.1, bounded
in count and time. Out of file descriptors it backs off and logs one line; idle connections and slow
request heads are closed; a malformed request is one line, however many come."""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from board.support import BoardProcess, child_env, scripts_session, wait_until
from near_tui.board import guard

PORTS = iter(range(18440, 18460))


@pytest.fixture
def db(tmp_path, db_path):
    scripts_session(tmp_path, db_path).close_log()
    return db_path


def get(url: str, timeout: float = 5) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        return response.status


def test_out_of_file_descriptors_backs_off_with_one_line_and_lets_viewers_in_again(db):
    port = next(PORTS)
    limit = 48  # the board's own files (python, sqlite, the follower) take about 20 of them

    def low_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    board = subprocess.Popen([sys.executable, "-m", "near_tui", "board", "--db", db, "--port", str(port)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=child_env(), preexec_fn=low_limit)
    held: list[socket.socket] = []
    try:
        assert wait_until(lambda: _answers(f"http://127.0.0.1:{port}/state.json"), 30)
        # More connections than the board has descriptors left: each one it accepts holds one.
        for _ in range(limit + 20):
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(3)  # three seconds of a full table: asyncio retries accept once a second
        for sock in held:
            sock.close()
        held.clear()
        # Viewers get in again once descriptors are free (the retry, or the idle ones closed).
        assert wait_until(lambda: _answers(f"http://127.0.0.1:{port}/state.json"), 15)
    finally:
        for sock in held:
            sock.close()
        board.terminate()
        _, errors = board.communicate(timeout=20)
    lines = errors.splitlines()
    assert "Traceback" not in errors
    out_of_fds = [line for line in lines if "out of file descriptors" in line]
    assert len(out_of_fds) == 1, errors  # one line per kind of problem per minute
    assert len(lines) <= 3, errors


def _answers(url: str) -> bool:
    try:
        return get(url) == 200
    except OSError:
        return False


def test_idle_connections_and_slow_request_heads_are_closed(db, monkeypatch):
    with BoardProcess(db, port=next(PORTS)) as board:
        idle = socket.create_connection(("127.0.0.1", board.port), timeout=guard.HEADER_TIMEOUT + 10)
        slow = socket.create_connection(("127.0.0.1", board.port), timeout=guard.HEADER_TIMEOUT + 10)
        started = time.monotonic()
        slow.sendall(b"GET /state.json HTTP/1.1\r\n")
        closed_at = {}
        for sock in (idle, slow):
            sock.settimeout(1.0)
        while len(closed_at) < 2 and time.monotonic() - started < guard.HEADER_TIMEOUT + 10:
            for sock, name in ((idle, "idle"), (slow, "slow")):
                if name in closed_at:
                    continue
                if name == "slow":
                    try:
                        slow.sendall(b"X")  # one byte of a header line a second, never the blank line
                    except OSError:
                        closed_at[name] = time.monotonic() - started
                        continue
                try:
                    if sock.recv(1024) == b"":
                        closed_at[name] = time.monotonic() - started
                except TimeoutError:
                    pass
                except OSError:
                    closed_at[name] = time.monotonic() - started
        idle.close()
        slow.close()
        assert set(closed_at) == {"idle", "slow"}, closed_at
        assert all(guard.HEADER_TIMEOUT - 1 <= t <= guard.HEADER_TIMEOUT + 5 for t in closed_at.values()), closed_at
        assert get(board.url + "/state.json") == 200  # a viewer that asks is served as ever


def test_malformed_requests_log_one_line_not_a_traceback(db):
    with BoardProcess(db, port=next(PORTS)) as board:
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", board.port), timeout=5) as sock:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
                answer = sock.recv(4096)
            assert answer.split(b"\r\n")[0].endswith(b" 400 Bad Request")
        assert get(board.url + "/state.json") == 200
        board.stop()
        errors = "".join(board.errors)
    assert "Traceback" not in errors
    lines = [line for line in errors.splitlines() if line.strip()]
    assert len(lines) == 1 and "near-tui board:" in lines[0], errors
