"""Checkpoints: the clerk signs the chain head at every vote close; ``verify`` checks them.

The clerk app is built as the CLI builds it (``build_app``); votes are closed through
``app.record(session.close_vote, …)``, the very call the roll-call screen makes once the
clerk confirms, so these tests do not depend on the confirmation keys.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from near_tui.clerk.app import build_app
from near_tui.core import events as ev
from near_tui.core.errors import InputError
from near_tui.declaration import keys
from near_tui.declaration.checkpoints import Checkpointer
from near_tui.declaration.closing import close_and_write
from support import FixedClock, toasts

from .forgery import copy_db, rewrite, rows, turn_vote


def clerk(db, **options):
    return build_app(db, item="2", clock=FixedClock("2018-10-29T10:00:00"), **options)


async def answer_and_close(app, answers=("y", "n", "a", "y")):
    """Answer a few members by key, then close the roll call as the screen does; return the toasts."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*answers)
        assert app.record(app.session.close_vote, "2")  # started in the write worker
        await app.writes_settled()
        await pilot.pause()
        assert app.state.items["2"].status == "closed"
        return toasts(app)


@pytest.fixture
def present_db(ga12_present, db_path):
    ga12_present.close_log()
    return db_path


async def test_the_clerk_signs_a_checkpoint_at_each_vote_close(present_db, key_pair, tmp_path):
    key, pub = key_pair
    out = tmp_path / "declaration"
    said = await answer_and_close(clerk(present_db, key_path=str(key), out_dir=str(out)))
    assert not [t for t, _ in said if t in ("No checkpoints", "Checkpoint not written")]
    (seq, _kind, payload, _at, _prev, digest), = rows(present_db, "kind = ?", ev.VOTE_CLOSED)
    signed = out / "checkpoints" / f"{seq}.json"
    assert sorted(p.name for p in signed.parent.iterdir()) == [signed.name, signed.name + ".minisig"]
    body = json.loads(signed.read_text())
    assert (body["session"], body["seq"], body["chain_head"], body["item_id"]) == ("ga12-2018", seq, digest, "2")
    # The reference tool checks it, and prints the head it vouches for.
    done = subprocess.run(["minisign", "-Vm", str(signed), "-p", str(pub)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"near-tui session:ga12-2018 events:{seq} chain_head:{digest} file:checkpoints/{seq}.json" in done.stdout


async def test_a_checkpoint_that_cannot_be_written_leaves_the_vote_closed(present_db, key_pair, tmp_path):
    key, _ = key_pair
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the declaration folder should be")
    said = await answer_and_close(clerk(present_db, key_path=str(key), out_dir=str(blocked)))
    notes = [m for t, m in said if t == "Checkpoint not written"]
    assert len(notes) == 1
    assert notes[0].startswith("The vote on item 2 is closed, but its signed checkpoint could not be written")
    assert [r[1] for r in rows(present_db, "kind = ?", ev.VOTE_CLOSED)] == [ev.VOTE_CLOSED]


async def test_a_protected_key_signs_checkpoints_only_with_its_passphrase(present_db, tmp_path):
    key = tmp_path / "keys" / "protected.key"
    keys.generate(key, "correct horse")
    with pytest.raises(InputError, match="wrong passphrase"):
        clerk(present_db, key_path=str(key), out_dir=str(tmp_path / "a"), passphrase="wrong")
    said = await answer_and_close(clerk(present_db, key_path=str(key), out_dir=str(tmp_path / "a")))
    assert [t for t, m in said if "protected by a passphrase" in m] == ["No checkpoints"]
    assert not (tmp_path / "a" / "checkpoints").exists()

    reopened = build_app(present_db, key_path=str(key), out_dir=str(tmp_path / "b"), passphrase="correct horse",
                         clock=FixedClock("2018-10-29T11:00:00"))

    async with reopened.run_test(size=(80, 24)) as pilot:
        assert reopened.record(reopened.session.open_vote, "4")
        await reopened.writes_settled()  # one write at a time: the next is refused while it runs
        assert reopened.record(reopened.session.close_vote, "4")
        await reopened.writes_settled()
        await pilot.pause()
    seq = [r[0] for r in rows(present_db, "kind = ?", ev.VOTE_CLOSED)][-1]
    assert sorted(p.name for p in (tmp_path / "b" / "checkpoints").iterdir()) == [f"{seq}.json", f"{seq}.json.minisig"]


async def test_no_key_no_checkpoints_and_nothing_said(present_db, tmp_path):
    # Without --key the clerk is asked for the key at the close only: nothing to sign with before.
    said = await answer_and_close(clerk(present_db, out_dir=str(tmp_path / "out")))
    assert not (tmp_path / "out").exists()
    assert not [t for t, _ in said if t == "No checkpoints"]


async def test_a_missing_key_file_is_said_at_start(present_db, tmp_path):
    said = await answer_and_close(clerk(present_db, key_path=str(tmp_path / "nope.key"),
                                                out_dir=str(tmp_path / "out")))
    assert [t for t, m in said if "no such key file" in m] == ["No checkpoints"]
    assert not (tmp_path / "out").exists()


@pytest.fixture
def closed_with_checkpoints(ga12_present, db_path, key_pair, replay_ga12, tmp_path):
    """The 12th GA replayed under the checkpoint hook, then closed and signed into one folder."""
    key, pub = key_pair
    out = tmp_path / "closed"
    ga12_present.after_commit.append(Checkpointer(keys.load_signing_key(key), out / "checkpoints"))
    replay_ga12(ga12_present)
    close_and_write(ga12_present, key, out)
    return db_path, out, pub


def test_verify_checks_every_checkpoint(closed_with_checkpoints, cli, tmp_path):
    db, out, pub = closed_with_checkpoints
    closes = [r[0] for r in rows(db, "kind = ?", ev.VOTE_CLOSED)]
    done = cli("verify", out, "--pub", pub, "--db", db)
    assert done.exit_code == 0, done.output
    assert f"ok    checkpoints: {len(closes)} hold against the log, the last at event {closes[-1]}\n" in done.output
    done = cli("verify", out, "--pub", pub)
    assert done.exit_code == 0, done.output
    assert f"checkpoints: {len(closes)} hold (signatures only; give the database to compare)" in done.output

    forged = copy_db(db, tmp_path / "forged.sqlite")
    rewrite(forged, turn_vote("4", "cn-henan", "no"))
    done = cli("verify", out, "--pub", pub, "--db", forged)
    assert done.exit_code == 1
    assert f"FAIL  checkpoint checkpoints/{closes[1]}.json: event {closes[1]} in the log has chain head" in done.output
    assert f"checkpoints/{closes[0]}.json" not in done.output  # item 2 closed before the edited vote

    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    sig = moved / "checkpoints" / f"{closes[0]}.json.minisig"
    sig.write_bytes(sig.read_bytes().replace(b"events:", b"events:1"))
    done = cli("verify", moved, "--pub", pub)
    assert done.exit_code == 1
    assert f"FAIL  checkpoint checkpoints/{closes[0]}.json: signature does not hold" in done.output
