"""The one follower: the events it hands over, and why it is NOT LIVE, as structured reasons.

Each test does to the database what happens in a hall (a disk pulled, a file copied over the
session, a forger's edit) and looks at the reason the follower gives, never at its words.
"""

from __future__ import annotations

import os
import sqlite3

from near_tui.core.errors import LogRewritten
from near_tui.storage.follower import FollowedState, Follower, Live, NotLive, NotLiveReason


def test_a_follower_hands_over_what_is_appended_after_its_place(ga12_present, db_path):
    follower = Follower(db_path, start=ga12_present.mark)
    try:
        assert follower.poll().events == [] and isinstance(follower.poll().live, Live)
        ga12_present.open_vote("2")
        ga12_present.record_vote("2", "cn-hunan", "no")
        result = follower.poll()
        assert [e.kind for e in result.events] == ["vote_opened", "vote_recorded"]
        assert result.live == Live(ga12_present.state.last_seq, ga12_present.state.head)
    finally:
        follower.close()


def test_a_database_moved_away_is_missing_then_followed_again_when_it_is_back(ga12_present, db_path, tmp_path):
    follower = Follower(db_path, start=ga12_present.mark)
    ga12_present.close_log()
    names = [n for n in os.listdir(tmp_path) if n.startswith(os.path.basename(db_path))]
    try:
        for name in names:
            os.rename(tmp_path / name, tmp_path / (name + ".away"))
        result = follower.poll()
        assert isinstance(result.live, NotLive) and result.live.reason is NotLiveReason.MISSING
        assert not result.live.final and result.live.path == str(tmp_path / os.path.basename(db_path))
        for name in names:
            os.rename(tmp_path / (name + ".away"), tmp_path / name)
        assert isinstance(follower.poll().live, Live)
    finally:
        follower.close()


def test_another_file_at_the_path_is_replaced_for_good(ga12_present, db_path, tmp_path):
    follower = Follower(db_path, start=ga12_present.mark)
    ga12_present.close_log()
    try:
        copy = tmp_path / "copy.sqlite"
        with sqlite3.connect(db_path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        os.replace(copy, db_path)  # same events, another file: still not the one opened
        result = follower.poll()
        assert result.live.reason is NotLiveReason.REPLACED and result.live.final
        assert follower.poll().live is result.live  # never read again
    finally:
        follower.close()


def test_a_changed_event_is_rewritten_with_the_structured_fields(ga12_present, db_path):
    follower = Follower(db_path, start=ga12_present.mark)
    seq, held = ga12_present.mark
    ga12_present.close_log()
    try:
        with sqlite3.connect(db_path) as conn:
            conn.execute("UPDATE near_events SET hash = ? WHERE seq = ?", ("f" * 64, seq))
        result = follower.poll()
        assert result.live.reason is NotLiveReason.REWRITTEN and result.live.final
        assert result.live.seq == seq
        # The error the log raises carries the same facts as fields.
        try:
            follower.log.read_events(seq, head=held)
        except LogRewritten as exc:
            assert (exc.seq, exc.expected_hash, exc.found_hash) == (seq, held, "f" * 64)
        else:
            raise AssertionError("the log did not notice the rewrite")
    finally:
        follower.close()


def test_a_file_written_over_in_place_is_unreadable_and_retried(ga12_present, db_path):
    follower = Follower(db_path, start=ga12_present.mark)
    ga12_present.close_log()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    saved = open(db_path, "rb").read()
    try:
        with open(db_path, "r+b") as f:  # same inode, bytes that are no database
            f.write(b"not a database" * 100)
        result = follower.poll()
        assert result.live.reason is NotLiveReason.UNREADABLE and not result.live.final
    finally:
        with open(db_path, "r+b") as f:
            f.write(saved)
        follower.close()


def test_events_that_do_not_link_onto_the_state_are_rewritten(ga12_present, db_path):
    followed = FollowedState(db_path)
    try:
        ga12_present.open_vote("2")
        with sqlite3.connect(db_path) as conn:  # a forged event: its prev_hash links nowhere
            conn.execute("UPDATE near_events SET prev_hash = ? WHERE seq = (SELECT max(seq) FROM near_events)",
                         ("0" * 64,))
        result = followed.poll()
        assert result.live.reason is NotLiveReason.REWRITTEN and result.events == []
        assert followed.state.items["2"].status == "pending"  # nothing of it was folded
    finally:
        followed.close()
