"""``near-tui audit``: the log checks itself, open or closed, with or without the checkpoints.

The 12th GA is replayed with the checkpoint hook on (six roll calls closed, six checkpoints
signed), then copies of its log are doctored with plain sqlite3. Without a key the audit
catches an edited event, a deleted one, and a re-hashed rewrite that breaks a rule; only the
signed checkpoints catch a careful rewrite that re-hashes the chain and keeps every rule.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from near_tui.core import events as ev
from near_tui.declaration import keys
from near_tui.declaration.checkpoints import Checkpointer
from near_tui.storage import seat_keys
from support import ROOT

from .forgery import copy_db, execute, reseal, rewrite, rows, turn_vote


@pytest.fixture
def checkpointed(ga12_present, db_path, key_pair, replay_ga12, tmp_path):
    """(database, checkpoint folder, public key) of the 12th GA replayed under the checkpoint hook."""
    key, pub = key_pair
    folder = tmp_path / "closed" / "checkpoints"
    ga12_present.after_commit.append(Checkpointer(keys.load_signing_key(key), folder))
    replay_ga12(ga12_present)
    return db_path, folder, pub


@pytest.fixture
def doctored(checkpointed, tmp_path):
    db, folder, pub = checkpointed
    return copy_db(db, tmp_path / "doctored.sqlite"), folder, pub


def audit(cli, db, folder=None, pub=None):
    extra = ["--checkpoints", folder, "--pub", pub] if folder is not None else []
    return cli("audit", "--db", db, *extra)


def closes(db):
    return [(seq, json.loads(payload)["item_id"]) for seq, *_rest, payload in
            ((r[0], r[2]) for r in rows(db, "kind = ?", ev.VOTE_CLOSED))]


def test_a_sound_log_passes_with_its_head_and_checkpoints(checkpointed, cli):
    db, folder, pub = checkpointed
    every = rows(db)
    closed = rows(db, "kind = ?", ev.VOTE_CLOSED)
    assert len(closed) == 6  # items 2, 4, 5, 6, 7, 8
    assert sorted(int(p.stem) for p in folder.glob("*.json")) == [r[0] for r in closed]
    done = audit(cli, db)
    assert done.exit_code == 0, done.output
    assert done.output == f"audit: {len(every)} events, chain head {every[-1][5]}, every rule holds\n"
    done = audit(cli, db, folder, pub)
    assert done.exit_code == 0, done.output
    assert done.output == (f"audit: {len(every)} events, chain head {every[-1][5]}, every rule holds, "
                           f"6 signed checkpoints hold (the last at event {closed[-1][0]})\n")
    # The declaration folder itself may be given: its checkpoints/ is used.
    assert audit(cli, db, folder.parent, pub).exit_code == 0


def test_the_real_command_on_a_live_log(checkpointed):
    db, _, _ = checkpointed  # the writer still holds the database open, votes in its WAL
    done = subprocess.run([sys.executable, "-m", "near_tui", "audit", "--db", db], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"audit: {len(rows(db))} events") and done.stderr == ""


def test_an_edited_vote_is_caught_without_a_key(doctored, cli):
    db, _, _ = doctored
    seq, payload = next((r[0], r[2]) for r in rows(db, "kind = ?", ev.VOTE_RECORDED) if '"cn-henan"' in r[2]
                        and '"item_id":"4"' in r[2])
    execute(db, "UPDATE near_events SET payload = ? WHERE seq = ?", payload.replace('"yes"', '"no"'), seq)
    done = audit(cli, db)
    assert done.exit_code == 1
    assert f"audit: log: event {seq} (vote_recorded): content does not match its hash (altered)\n" in done.output
    assert "NOT sound" in done.output


def test_a_deleted_event_is_caught_without_a_key(doctored, cli):
    db, _, _ = doctored
    seq = rows(db, "kind = ?", ev.LETTER_RECORDED)[3][0]
    execute(db, "DELETE FROM near_events WHERE seq = ?", seq)
    done = audit(cli, db)
    assert done.exit_code == 1
    assert f"audit: log: event {seq + 1}: expected sequence number {seq} (an event is missing or inserted)" in done.output


def test_a_row_that_cannot_even_be_read_is_a_problem_not_a_crash(doctored, cli):
    db, _, _ = doctored
    seq = rows(db, "kind = ?", ev.VOTE_RECORDED)[0][0]
    execute(db, "UPDATE near_events SET payload = 'not json' WHERE seq = ?", seq)
    done = audit(cli, db)
    assert done.exit_code == 1
    assert done.output.startswith(f"audit: {db}: the log cannot be read (")
    assert "Traceback" not in done.output


def test_a_rehashed_edit_under_a_close_breaks_its_tally(doctored, cli):
    db, _, _ = doctored
    rewrite(db, turn_vote("4", "cn-henan", "no"), fix_tallies=False)
    (close_seq, _), = [c for c in closes(db) if c[1] == "4"]
    done = audit(cli, db)
    assert done.exit_code == 1
    assert "content does not match its hash" not in done.output  # the chain itself holds
    assert (f"audit: log: event {close_seq} (vote_closed) breaks the session's rules: the tally given for "
            "item '4' does not match the recorded votes") in done.output


def test_a_careful_rewrite_passes_without_a_key_and_is_caught_by_the_checkpoints(doctored, cli):
    db, folder, pub = doctored
    before = {seq: digest for seq, *_r, digest in rows(db, "kind = ?", ev.VOTE_CLOSED)}
    rewrite(db, turn_vote("4", "cn-henan", "no"))  # the close of item 4 now says 46 yes, 3 no
    tally = json.loads(next(r[2] for r in rows(db, "kind = ?", ev.VOTE_CLOSED) if '"item_id":"4"' in r[2]))["tally"]
    assert (tally["yes"], tally["no"]) == (46, 3)  # 47-2-1 in the 2018 record, one yes turned
    # The chain and every rule hold; the seats' signatures, made over the old hashes, do not.
    done = audit(cli, db)
    assert done.exit_code == 1 and "its signature by seat" in done.output
    # Signed again by someone holding the seat's key: without the Secretariat's signatures nothing can tell.
    reseal(db, seat_keys.load_or_make())
    assert audit(cli, db).exit_code == 0
    done = audit(cli, db, folder, pub)
    assert done.exit_code == 1
    (item4, _), = [c for c in closes(db) if c[1] == "4"]
    changed = sorted(seq for seq, digest in before.items() if seq >= item4)
    for seq in changed:  # every checkpoint from the rewritten vote on
        assert (f"audit: checkpoint checkpoints/{seq}.json: event {seq} in the log has chain head") in done.output
        assert f"the log was rewritten at or before event {seq}" in done.output
    assert "checkpoints/" + f"{min(before)}.json" not in done.output  # item 2's, before the edit, still holds


def test_removing_the_tail_of_the_log_or_of_the_checkpoints_is_caught(doctored, cli, tmp_path):
    db, folder, pub = doctored
    last_close = closes(db)[-1][0]
    cut = copy_db(db, tmp_path / "cut.sqlite")
    execute(cut, "DELETE FROM near_events WHERE seq >= ?", last_close)
    done = audit(cli, cut, folder, pub)
    assert done.exit_code == 1
    assert (f"checkpoint checkpoints/{last_close}.json: the log ends at event {last_close - 1}, but event "
            f"{last_close} was signed — events were removed from the log") in done.output

    # Rewrite item 8's vote and remove the checkpoints that would tell: the gap does.
    rewrite(db, turn_vote("8", "cn-henan", "no"))
    shorter = tmp_path / "shorter"
    shutil.copytree(folder, shorter)
    for path in shorter.glob(f"{last_close}.json*"):
        path.unlink()
    done = audit(cli, db, shorter, pub)
    assert done.exit_code == 1
    assert (f"audit: checkpoints: the vote close at event {last_close} (item 8) has no checkpoint, though an "
            "earlier one has — signed without the key, or removed") in done.output


def test_a_checkpoint_signed_by_another_key_or_changed_fails(checkpointed, cli, tmp_path):
    db, folder, pub = checkpointed
    other, _ = keys.generate(tmp_path / "other.key")
    done = audit(cli, db, folder, other)
    assert done.exit_code == 1
    assert done.output.count("signature does not hold") == 6
    moved = tmp_path / "changed"
    shutil.copytree(folder, moved)
    first = sorted(moved.glob("*.json"), key=lambda p: int(p.stem))[0]
    first.write_text(first.read_text().replace('"ga12-2018"', '"ga13-2019"'))
    done = audit(cli, db, moved, pub)
    assert done.exit_code == 1
    assert f"audit: checkpoint checkpoints/{first.name}: signature does not hold" in done.output


def test_usage_errors_are_one_line_exit_2(checkpointed, cli, tmp_path):
    db, folder, pub = checkpointed
    for args, message in [
        (["--checkpoints", folder], "near-tui: --checkpoints needs --pub as well\n"),
        (["--pub", pub], "near-tui: --pub needs --checkpoints as well\n"),
        (["--checkpoints", tmp_path / "none", "--pub", pub],
         f"near-tui: {tmp_path / 'none'}: no such folder — give the declaration folder or its checkpoints/\n"),
    ]:
        done = cli("audit", "--db", db, *args)
        assert done.exit_code == 2
        assert done.output == message
    done = cli("audit", "--db", tmp_path / "missing.sqlite")
    assert done.exit_code == 2 and done.output.startswith("near-tui: ") and done.output.count("\n") == 1
