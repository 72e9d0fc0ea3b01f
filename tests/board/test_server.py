"""``near-tui board`` as a user runs it: a child process on a free loopback port.

Figures expected by these tests are their own recounts of the answers they record.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from urllib.parse import urljoin, urlparse

import aiohttp
import pytest

from board.support import (
    MEMBERS,
    BoardProcess,
    Links,
    Stream,
    free_port,
    item,
    kind_of,
    outside_references,
    scripts_session,
)


@pytest.fixture
def session(tmp_path, db_path):
    s = scripts_session(tmp_path, db_path)
    s.open_vote("1")
    yield s
    s.close_log()



async def test_state_json_is_the_report_the_command_line_prints(session, db_path):
    session.record_vote("1", MEMBERS[0][0], "yes")
    printed = subprocess.run([sys.executable, "-m", "near_tui", "report", "--db", db_path, "--json"],
                             capture_output=True, text=True, timeout=60, check=True).stdout

    async def fetch(url):
        async with aiohttp.ClientSession() as client, client.get(url + "/state.json") as response:
            assert response.headers["Content-Type"].startswith("application/json")
            return await response.json()

    with BoardProcess(db_path) as board:
        served = await fetch(board.url)
    assert served == json.loads(printed)
    entry = next(i for i in served["items"] if i["id"] == "1")
    assert entry["yes"] == 1 and entry["calling"]["name"] == MEMBERS[1][1]


async def test_each_change_reaches_a_viewer_as_one_message_with_the_whole_agenda(session, db_path):
    async def scenario(url):
        async with aiohttp.ClientSession() as client, client.get(url + "/events") as response:
            assert response.headers["Content-Type"].startswith("text/event-stream")
            stream = Stream(response)
            first = await stream.next()
            assert [i["item_id"] for i in first["picture"]["agenda"]] == ["1", "2", "3"]
            assert first["live"] is True and first["current"] == "1"
            answers = []
            for (member_id, _, _), vote in zip(MEMBERS[:3], ("yes", "no", "yes"), strict=True):
                session.record_vote("1", member_id, vote)
                answers.append(vote)
                message = await stream.until(lambda m: m["chain_head"] == session.state.head)
                # Every message holds the whole agenda in its order: a page kept open equals a fresh one.
                assert [i["item_id"] for i in message["picture"]["agenda"]] == ["1", "2", "3"]
                entry = item(message, "1")["numbers"]
                assert (entry["yes"], entry["no"]) == (answers.count("yes"), answers.count("no"))
                assert entry["uncalled"] == len(MEMBERS) - len(answers)
            session.close_vote("1")
            message = await stream.until(lambda m: m["chain_head"] == session.state.head)
            # Closed: 2 yes of 3 cast carries more than half; the five never called did not vote.
            entry = item(message, "1")
            assert entry["result"] == "✔ CARRIED" and entry["status"] == "closed"
            assert (entry["numbers"]["not_voting"], entry["numbers"]["uncalled"]) == (len(MEMBERS) - 3, 0)
            vote = message["picture"]["current"]["vote"]
            assert vote["state_words"] == "ROLL CALL CLOSED" and vote["calling_member"] is None

    with BoardProcess(db_path) as board:
        await scenario(board.url)


async def test_three_hundred_viewers_see_a_vote_within_a_second_from_one_process(session, db_path):
    viewers = 300

    async def scenario(url):
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as client:
            responses = await asyncio.gather(*(client.get(url + "/events") for _ in range(viewers)))
            streams = [Stream(r) for r in responses]
            await asyncio.gather(*(s.next() for s in streams))  # everybody has the state
            session.record_vote("1", MEMBERS[0][0], "no")
            committed = time.monotonic()
            head = session.state.head

            async def seen(stream):
                message = await stream.until(lambda m: m["chain_head"] == head, timeout=5)
                return time.monotonic() - committed, item(message, "1")["numbers"]["no"]

            results = await asyncio.gather(*(seen(s) for s in streams))
            for r in responses:
                r.close()
            return results

    with BoardProcess(db_path) as board:
        results = await scenario(board.url)
        children = subprocess.run(["ps", "--ppid", str(board.process.pid), "-o", "pid="],
                                  capture_output=True, text=True).stdout.split()
    assert len(results) == viewers
    assert all(no == 1 for _, no in results)
    slowest = max(delay for delay, _ in results)
    assert slowest < 1.0, f"the last of {viewers} viewers saw the vote after {slowest:.2f} s"
    assert children == []  # one process serves them all


async def test_the_page_and_its_assets_reference_nothing_outside_this_machine(session, db_path):
    async def fetch_all(url):
        pages = {}
        async with aiohttp.ClientSession() as client:
            async with client.get(url + "/") as response:
                pages["/"] = (response.headers, await response.text())
            links = Links()
            links.feed(pages["/"][1])
            assert len(links.urls) >= 2, links.urls  # the stylesheet and the script at least
            for ref in links.urls:
                if ref.startswith("data:"):
                    continue
                target = urljoin(url + "/", ref)
                assert urlparse(target).netloc == urlparse(url).netloc, ref
                async with client.get(target) as response:
                    assert response.status == 200, target
                    pages[ref] = (response.headers, await response.text())
        return pages

    with BoardProcess(db_path) as board:
        pages = await fetch_all(board.url)
    assert {"/", "/static/board.css", "/static/board.js"} <= set(pages)
    for ref, (headers, text) in pages.items():
        assert outside_references(text, board.url, kind_of(headers["Content-Type"])) == [], ref
        # Browsers are also told to fetch nothing from anywhere else.
        assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "innerHTML" not in pages["/static/board.js"][1]  # names are set as text, never parsed


def test_the_reference_check_would_catch_an_outside_url():
    base = "http://127.0.0.1:8080/"
    assert outside_references('<link href="https://fonts.googleapis.com/css?family=X">', base)
    assert outside_references("@import 'x.css';", base, "css")
    assert outside_references("src: url(//cdn.example.org/font.woff2)", base, "css")
    assert outside_references("fetch('https://example.org/x')", base, "js")
    assert outside_references('<a href="http://127.0.0.1:8080/state.json">', base) == []
    assert outside_references("background: url(/static/x.png) url(data:,)", base, "css") == []
    # Named but never fetched: a comment, an XML namespace.
    assert outside_references("/* from https://github.com/x/y */ a {}", base, "css") == []
    assert outside_references('<svg xmlns="http://www.w3.org/2000/svg"></svg>', base) == []


def listening_addresses(port: int) -> set[str]:
    """The local addresses of TCP sockets listening on ``port`` (from /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # LISTEN
                found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]) if len(address) == 8 else address)
    return found


def test_it_listens_on_loopback_only_unless_told_otherwise(session, db_path):
    with BoardProcess(db_path) as board:
        assert listening_addresses(board.port) == {"127.0.0.1"}
        assert f"live on http://127.0.0.1:{board.port}/" in "".join(board.lines)
    with BoardProcess(db_path, "--host", "0.0.0.0") as board:
        assert listening_addresses(board.port) == {"0.0.0.0"}


def test_a_wrong_database_is_one_line_and_no_server(tmp_path):
    done = subprocess.run([sys.executable, "-m", "near_tui", "board", "--db", str(tmp_path / "none.sqlite"),
                           "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no such session database" in done.stderr


def test_a_port_in_use_is_one_line(session, db_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "near_tui", "board", "--db", db_path, "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_it_stops_promptly_with_viewers_connected(session, db_path):
    async def connect(url):
        client = aiohttp.ClientSession()
        responses = [await client.get(url + "/events") for _ in range(20)]
        for r in responses:
            await Stream(r).next()
        return client, responses

    board = BoardProcess(db_path).wait_ready()
    loop = asyncio.new_event_loop()
    try:
        client, responses = loop.run_until_complete(connect(board.url))
        started = time.monotonic()
        assert board.stop(timeout=10) == 0
        assert time.monotonic() - started < 5
        loop.run_until_complete(client.close())
    finally:
        loop.close()
