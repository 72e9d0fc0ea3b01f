"""The headless CLI as a clerk's script would use it, on real files: each command runs in this
process through click's runner (what it prints, writes and exits with); a real child process
checks the one-line refusal and the exit status as a shell sees them."""

from __future__ import annotations

import json

import click
import pytest

from near_tui.cli.main import main
from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, GA12_VOTES, near as near_here, run_cli


def near(*args, check=True):
    done = near_here(*args)
    if check and done.exit_code != 0:
        raise AssertionError(f"exit {done.exit_code}: {done.stderr} {done.exception!r}")
    return done


def event_count(db) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from near_events").fetchone()[0]


def test_12th_ga_replay_gives_the_recorded_outcome(tmp_path):
    db = tmp_path / "ga12.sqlite"
    near("new", GA12, "--db", db)
    near("import", "attendance", "--db", db, GA12_ATTENDANCE)
    near("import", "letters", "--db", db, GA12_LETTERS)
    near("import", "votes", "--db", db, GA12_VOTES)
    report = json.loads(near("report", "--db", db, "--json").stdout)

    assert report["session"] == {**report["session"], "id": "ga12-2018"}
    assert report["attendance"] == {"in_person": 29, "online": 0, "letter": 21, "absent": 28}
    assert report["members_total"] == 78
    items = {i["id"]: i for i in report["items"]}
    admission = items["2"]
    assert (admission["rule"], admission["quorum_base"], admission["participating"]) == ("two_thirds", 77, 50)
    assert (admission["quorum_required"], admission["quorum_met"], admission["outcome"]) == (39, True, "carried")
    assert admission["admitted"] == ["jp-akita"]
    for later in ("4", "5", "6", "7", "8"):
        assert items[later]["quorum_base"] == 78
        assert items[later]["participating"] == 50
        assert items[later]["outcome"] == "carried"
        i = items[later]
        assert i["yes"] + i["no"] + i["abstain"] + i["not_voting"] == 50
        assert i["cast"] == i["yes"] + i["no"]
    keys = {"id", "kind", "rule", "status", "quorum_base", "participating", "quorum_required", "quorum_met",
            "yes", "no", "abstain", "not_voting", "cast", "required_yes", "outcome"}
    assert keys <= set(admission)
    assert items["1"]["rule"] is None and items["1"]["status"] == "pending"
    assert len(report["chain_head"]) == 64

    table = near("report", "--db", db).stdout
    assert "CARRIED" in table and "by letter 21" in table  # the verdict's words (near_tui.views.verdict)


def test_check_prints_a_summary_and_refuses_bad_files(tmp_path):
    out = run_cli("check", str(GA12)).stdout  # a real process, as a shell runs it
    assert "8 items" in out and "77 members" in out and "1 applicants" in out and "3 observers" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("session: [\n", encoding="utf-8")
    proc = run_cli("check", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and f"{bad}:" in proc.stderr and "Traceback" not in proc.stderr


def test_new_refuses_a_database_that_holds_a_session(tmp_path):
    db = tmp_path / "s.sqlite"
    assert run_cli("new", str(GA12), "--db", str(db)).returncode == 0  # a real process, as a shell runs it
    before = db.read_bytes()
    proc = run_cli("new", str(GA12), "--db", str(db))
    assert proc.returncode == 2 and "already holds a session" in proc.stderr
    assert event_count(db) == 2  # the session opened and its seat joined, nothing more
    assert db.read_bytes() == before


@pytest.mark.parametrize("what, header, row, words", [
    ("attendance", "member_id,mode", "jp-nowhere,in_person", "not on the session's roster"),
    ("attendance", "member_id,mode", "cn-hunan,asleep", "mode 'asleep' is not allowed"),
    ("attendance", "member_id,status", "cn-hunan,in_person", "wrong header"),
    ("letters", "member_id,item_id,position", "cn-hunan,2,maybe", "position 'maybe'"),
    ("letters", "member_id,item_id,position", "kp-hamgyeongbuk,3,yes", "not a decision"),
    ("letters", "member_id,item_id,position", "vn-ho-chi-minh-city,2,yes", "associate"),
    ("votes", "item_id,member_id,vote", "2,vn-ho-chi-minh-city,yes", "associate"),
    ("votes", "item_id,member_id,vote", "2,cn-tianjin,yes", "observer"),
    ("votes", "item_id,member_id,vote", "2,jp-akita,yes", "applicant"),
    ("votes", "item_id,member_id,vote", "2,kp-rasun,yes", "absent"),
    ("votes", "item_id,member_id,vote", "1,cn-hunan,yes", "only decisions"),
    ("votes", "item_id,member_id,vote", "2,cn-hunan,no", "already votes"),
])
def test_import_errors_name_the_line_and_write_nothing(tmp_path, what, header, row, words):
    db = tmp_path / "s.sqlite"
    near("new", GA12, "--db", db)
    near("import", "attendance", "--db", db, GA12_ATTENDANCE)
    before = event_count(db)
    csv_file = tmp_path / "in.csv"
    # A good row first: the error on a later line must still leave everything unwritten.
    good = {"attendance": "cn-hunan,in_person", "letters": "kp-rasun,2,yes", "votes": "2,cn-hunan,yes"}[what]
    lines = [header] + ([good] if "header" not in words else []) + row.split("\n")
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = near("import", what, "--db", db, csv_file, check=False)
    assert proc.exit_code == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert words in proc.stderr
    bad_line = 1 if "header" in words else len(lines)
    assert f"{csv_file}:{bad_line}: " in proc.stderr
    assert event_count(db) == before


def test_closed_item_cannot_be_voted_again(tmp_path):
    db = tmp_path / "s.sqlite"
    near("new", GA12, "--db", db)
    near("import", "attendance", "--db", db, GA12_ATTENDANCE)
    near("import", "votes", "--db", db, GA12_VOTES)
    again = tmp_path / "again.csv"
    again.write_text("item_id,member_id,vote\n2,cn-hunan,no\n", encoding="utf-8")
    proc = near("import", "votes", "--db", db, again, check=False)
    assert proc.exit_code == 2 and f"{again}:2: " in proc.stderr and "closed" in proc.stderr


def test_votes_import_fills_in_letter_positions(tmp_path):
    db = tmp_path / "s.sqlite"
    near("new", GA12, "--db", db)
    near("import", "attendance", "--db", db, GA12_ATTENDANCE)
    near("import", "letters", "--db", db, GA12_LETTERS)
    votes = tmp_path / "one.csv"
    votes.write_text("item_id,member_id,vote\n2,cn-hunan,yes\n", encoding="utf-8")
    near("import", "votes", "--db", db, votes, "--uncalled-not-voting")
    item = json.loads(near("report", "--db", db, "--json").stdout)["items"][1]
    # 21 letters say yes on the admission; the 28 other present members were not called
    # (--uncalled-not-voting: without it the file is refused, see tests/declaration/test_replay_papers.py).
    assert (item["yes"], item["not_voting"], item["outcome"]) == (22, 28, "carried")


def _all_commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,)
        if isinstance(cmd, click.Group):
            yield from _all_commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path", list(_all_commands(main)), ids=" ".join)
def test_every_subcommand_has_help(path):
    proc = near(*path, "--help")
    assert "Usage:" in proc.stdout and len(proc.stdout.splitlines()) > 3


def test_missing_database_is_a_clear_error(tmp_path):
    proc = near("report", "--db", tmp_path / "nothing.sqlite", check=False)
    assert proc.exit_code == 2 and "no such session database" in proc.stderr
    assert not (tmp_path / "nothing.sqlite").exists()


def test_a_not_voting_answer_stands_when_its_member_leaves(tmp_path):
    """Every recorded answer stands, through the CLI as far as it goes: ``import votes`` opens and closes an item in one
    go, so the member cannot leave between its answer and the close there. The session is created and
    its attendance imported by the CLI, the roll call runs through the Session API (as the clerk's
    keys do), and the figures are read back with ``report --json``."""
    from near_tui.service.session import Session
    from support import FixedClock, member, write_agenda

    agenda = write_agenda(tmp_path, [member(f"m{i}") for i in range(1, 5)],
                          [{"id": "1", "title": "Budget", "kind": "decision", "article": "8.7"}])
    db = tmp_path / "s.sqlite"
    near("new", agenda, "--db", db)
    attendance = tmp_path / "att.csv"
    attendance.write_text("member_id,mode\nm1,in_person\nm2,in_person\nm3,online\nm4,absent\n", encoding="utf-8")
    near("import", "attendance", "--db", db, attendance)

    session = Session.open(str(db), clock=FixedClock())
    session.open_vote("1")
    answers = {"m1": "yes", "m2": "yes", "m3": "not_voting"}
    for member_id, answer in answers.items():
        session.record_vote("1", member_id, answer)
    session.set_attendance("m3", "absent")  # leaves after answering
    session.close_vote("1")
    session.close_log()

    item = json.loads(near("report", "--db", db, "--json").stdout)["items"][0]
    # Counted by hand: all three who answered took part (3 of 4: 2*3 > 4, a quorum); 2 yes of 2 cast.
    # Had m3 dropped out with its answer, 2 of 4 would be no quorum.
    yes = list(answers.values()).count("yes")
    assert (item["participating"], item["quorum_met"]) == (len(answers), True)
    assert (item["yes"], item["not_voting"], item["cast"], item["outcome"]) == (yes, 1, yes, "carried")
