"""Witnesses: the board publishes every signed checkpoint as it is made, and a copy kept by a viewer
catches a record that was rewritten and signed again, with the same keys, after the session."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import aiohttp

from board.support import MEMBERS, BoardProcess, scripts_session, wait_until
from declaration.forgery import copy_db, reseal, rewrite, rows
from near_tui.core import events as ev
from near_tui.declaration import keys
from near_tui.declaration.checkpoints import Checkpointer, write_checkpoint
from near_tui.declaration.closing import close_and_write
from near_tui.service.session import Session
from near_tui.storage import seat_keys
from support import near

PORT = 18431


def verify(*args):
    """``near-tui verify ARGS`` in this process (click's runner): exit_code, stdout, stderr."""
    return near("verify", *args)


def roll_call(session: Session, item_id: str, answers: list[str]) -> None:
    session.open_vote(item_id)
    for (member_id, _, _), answer in zip(MEMBERS, answers, strict=True):
        session.record_vote(item_id, member_id, answer)
    session.close_vote(item_id)


async def next_checkpoint(url: str, then) -> dict:
    """Open /events, run ``then()`` and return the data of the first ``checkpoint`` event that arrives."""
    async with aiohttp.ClientSession() as client, client.get(url + "/events") as response:
        buffer = b""
        then()
        async with asyncio.timeout(15):
            while True:
                buffer += await response.content.readany()
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    lines = block.split(b"\n")
                    if b"event: checkpoint" in lines:
                        return json.loads(next(line[6:] for line in lines if line.startswith(b"data: ")))


async def test_a_witness_kept_from_the_board_catches_a_rewrite_signed_again(tmp_path, db_path):
    key = tmp_path / "keys" / "secretariat.key"
    pub, _ = keys.generate(key)
    out = tmp_path / "declaration"
    session = scripts_session(tmp_path, db_path)
    session.after_commit.append(Checkpointer(keys.load_signing_key(key), out / "checkpoints"))
    roll_call(session, "1", ["yes"] * 5 + ["no"] * 3)
    with BoardProcess(db_path, port=PORT) as board:
        with urllib.request.urlopen(board.url + "/checkpoints", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("application/json")
            first = json.loads(response.read())
        (close1,) = [r[0] for r in rows(db_path, "kind = ?", ev.VOTE_CLOSED)]
        assert [entry["seq"] for entry in first] == [close1]
        assert first[0]["checkpoint"] == (out / "checkpoints" / f"{close1}.json").read_text()
        # The next close reaches an open stream as it is made.
        streamed = await next_checkpoint(board.url, lambda: roll_call(session, "3", ["yes"] * 8))
        (close3,) = [r[0] for r in rows(db_path, "kind = ?", ev.VOTE_CLOSED) if r[0] != close1]
        assert streamed["seq"] == close3
        assert wait_until(lambda: len(json.loads(urllib.request.urlopen(board.url + "/checkpoints").read())) == 2, 5)
        kept = tmp_path / "kept.json"  # what any viewer saves: curl -o kept.json BOARD/checkpoints
        kept.write_bytes(urllib.request.urlopen(board.url + "/checkpoints", timeout=10).read())
    close_and_write(session, key, out, leave_pending=True)
    session.close_log()
    done = verify(out, "--pub", pub, "--db", db_path, "--witness", kept)
    assert done.exit_code == 0, done.stdout
    assert "witnesses: the record agrees with all 2 kept checkpoint(s)" in done.stdout

    # After the session, someone holding the seat's and the Secretariat's keys turns a YES of item 1
    # into a NO, hashes the chain again, seals every event again and signs everything again.
    forged = copy_db(db_path, tmp_path / "forged.sqlite")
    rewrite(forged, _turn(MEMBERS[0][0]))
    reseal(forged, seat_keys.load_or_make())
    again = tmp_path / "forged-declaration"
    rewritten = Session.open(forged)
    try:
        close_and_write(rewritten, key, again)
        secret = keys.load_signing_key(key)
        for event in rewritten.log.read_events():
            if event.kind == ev.VOTE_CLOSED:
                write_checkpoint(again / "checkpoints", secret, "test-1", event)
    finally:
        rewritten.close_log()
    assert verify(again, "--pub", pub, "--db", forged).exit_code == 0  # everything it holds agrees
    done = verify(again, "--pub", pub, "--db", forged, "--witness", kept)
    assert done.exit_code == 1
    lines = [line for line in done.stdout.splitlines() if line.startswith("FAIL  witness")]
    assert [line.split(": ")[1] for line in lines] == [f"checkpoint at event {close1}", f"checkpoint at event {close3}"]
    assert "the log was rewritten at or before event" in lines[0]
    # Without the database, the folder's own re-signed checkpoints contradict the kept ones too.
    done = verify(again, "--pub", pub, "--witness", kept)
    assert done.exit_code == 1 and sum(line.startswith("FAIL  witness") for line in done.stdout.splitlines()) == 2


def _turn(member_id: str):
    def change(entries: list[dict]) -> None:
        (hit,) = [e for e in entries if e["kind"] == ev.VOTE_RECORDED and e["payload"]["item_id"] == "1"
                  and e["payload"]["member_id"] == member_id]
        hit["payload"]["vote"] = "no"
    return change


def test_a_witness_file_that_is_not_one_is_one_line(tmp_path, db_path):
    key = tmp_path / "k.key"
    pub, _ = keys.generate(key)
    session = scripts_session(tmp_path, db_path)
    close_and_write(session, key, tmp_path / "out", leave_pending=True)
    session.close_log()
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a checkpoint"}')
    done = verify(tmp_path / "out", "--pub", pub, "--witness", bad)
    assert done.exit_code == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and f"{bad}:1: entry 1 is not a checkpoint kept from the board" in done.stderr
