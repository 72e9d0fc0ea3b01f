"""The bad-input corpus (tests/bad_inputs/): one line FILE:LINE, exit 2, no traceback, database untouched.

Each row of EXPECTED.tsv runs ``near-tui`` from the corpus folder, in this process through
click's runner (the command's own code, exit status and stderr); one row of each command runs
the real ``near-tui`` in a child process as well, as a shell sees it. Files a user would
reasonably expect to work (BOM, CRLF, trailing spaces) must work.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from near_tui.service.session import Session
from support import BAD_INPUTS, near, run_cli

CASES = [line.split("\t") for line in (BAD_INPUTS / "EXPECTED.tsv").read_text().splitlines()
         if line and not line.startswith("#")]
GOOD = sorted(p.name for p in (BAD_INPUTS / "good").iterdir() if p.name != "members.yaml")


def corpus_cli(*args: str):
    """``near-tui ARGS`` in this process, run from the corpus folder (the files are named from it)."""
    with contextlib.chdir(BAD_INPUTS):
        return near(*args)


def exit_status(done) -> int:
    return done.returncode if isinstance(done, subprocess.CompletedProcess) else done.exit_code


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """The corpus session (base/agenda.yaml) with its attendance, made once through the CLI."""
    db = tmp_path_factory.mktemp("corpus") / "base.sqlite"
    for args in (["new", "base/agenda.yaml"], ["import", "attendance", "base/attendance.csv"]):
        done = corpus_cli(*args, "--db", str(db))
        assert done.exit_code == 0, done.stderr
    return db


def digest(path: Path) -> str:
    """The database's bytes, with any WAL beside it."""
    h = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            h.update(part.read_bytes())
    return h.hexdigest()


def assert_refused(done, where: str, says: str) -> None:
    """``done``: a command run in this process (click's Result) or in a child (CompletedProcess)."""
    assert exit_status(done) == 2, f"exit {exit_status(done)}: {done.stdout}{done.stderr}"
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, f"expected one line, got: {done.stderr!r}"
    assert re.match(rf"^near-tui: {re.escape(where)}: \S", lines[0]), lines[0]
    assert says in lines[0], lines[0]
    # The message names characters, never prints them: nothing a terminal would act on or hide.
    assert lines[0].isprintable(), ascii(lines[0])


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 100


def refused_without_a_trace(file, command, where, says, base_db, tmp_path, run) -> None:
    if command == "check":
        # `new` reads the agenda exactly as `check` does, and must create no database.
        db = tmp_path / "new.sqlite"
        assert_refused(run("new", file, "--db", str(db)), where, says)
        assert not db.exists() or db.stat().st_size == 0
        return
    db = tmp_path / "session.sqlite"
    shutil.copy(base_db, db)
    before = digest(db)
    events_before = Session.open(str(db), readonly=True).state.last_seq
    assert_refused(run("import", command, file, "--db", str(db)), where, says)
    assert digest(db) == before
    assert Session.open(str(db), readonly=True).state.last_seq == events_before


@pytest.mark.parametrize("file,command,where,says", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_in_one_line(file, command, where, says, base_db, tmp_path):
    refused_without_a_trace(file, command, where, says, base_db, tmp_path, corpus_cli)


# The first row of each command, through the real near-tui in a child process.
FIRST_OF_EACH = list({case[1]: case for case in reversed(CASES)}.values())


@pytest.mark.parametrize("file,command,where,says", FIRST_OF_EACH, ids=[c[0] for c in FIRST_OF_EACH])
def test_the_real_command_refuses_in_one_line_too(file, command, where, says, base_db, tmp_path):
    refused_without_a_trace(file, command, where, says, base_db, tmp_path,
                            lambda *args: run_cli(*args, cwd=BAD_INPUTS))


# What each file a user expects to work must record, written out here (not read from the code).
# Attendance: the mode of each member the file names. Letters: kr-busan's positions. Votes: the
# answers on the item, and the tally they give, counted by this test from those answers.
GOOD_ATTENDANCE = {
    "attendance-bom-crlf-no-final-newline.csv": {"cn-henan": "in_person", "cn-hunan": "online"},
    "attendance-bom.csv": {"cn-henan": "in_person", "cn-hunan": "online"},
    "attendance-columns-swapped.csv": {"cn-henan": "in_person"},
    "attendance-crlf.csv": {"cn-henan": "in_person", "cn-hunan": "online"},
    "attendance-header-capitals.csv": {"cn-henan": "in_person"},
    "attendance-trailing-spaces.csv": {"cn-henan": "in_person", "cn-hunan": "online"},
    # "In Person", " ONLINE ", "in-person", "Absent": case, spaces and hyphens are not ambiguous.
    "attendance-capitals-spaces.csv": {"cn-henan": "in_person", "cn-hunan": "online", "jp-tottori": "in_person",
                                       "kr-busan": "absent"},
    # BOM, CRLF, a comma after every value, a ",," row and a blank last line: a spreadsheet's export.
    "attendance-spreadsheet-export.csv": {"cn-henan": "in_person", "cn-hunan": "online"},
    "attendance-member-id-capitals.csv": {"cn-henan": "in_person", "jp-tottori": "online"},
}
GOOD_LETTERS = {
    "letters-bom-crlf.csv": {"4": "yes", "5": "abstain"},
    "letters-capitalised.csv": {"4": "yes", "5": "abstain"},
}
GOOD_VOTES = {
    "votes-crlf-spaces.csv": ("4", {"cn-henan": "yes", "cn-hunan": "no", "jp-tottori": "abstain"}),
    "votes-capitalised.csv": ("4", {"cn-henan": "yes", "cn-hunan": "no", "jp-tottori": "abstain"}),
    "votes-not-voting-spelled.csv": ("5", {"cn-henan": "not_voting", "cn-hunan": "not_voting", "jp-tottori": "yes"}),
    "votes-trailing-commas-rows-only.csv": ("4", {"cn-henan": "yes", "cn-hunan": "no", "jp-tottori": "yes"}),
    # Every member present has a row: import votes refuses a file that leaves one uncalled.
    "votes-blank-last-lines.csv": ("4", {"cn-henan": "yes", "cn-hunan": "yes", "jp-tottori": "no"}),
}


def test_every_good_file_has_its_expectation():
    csvs = {name for name in GOOD if name.endswith(".csv")}
    assert csvs == set(GOOD_ATTENDANCE) | set(GOOD_LETTERS) | set(GOOD_VOTES)


@pytest.mark.parametrize("name", GOOD)
def test_what_a_user_expects_to_work_works(name, base_db, tmp_path):
    file = f"good/{name}"
    if name.endswith(".yaml"):
        done = corpus_cli("check", file)
        assert done.exit_code == 0 and ": ok — " in done.stdout, done.stderr
        return
    db = tmp_path / "session.sqlite"
    shutil.copy(base_db, db)
    done = corpus_cli("import", name.split("-")[0], file, "--db", str(db))
    assert done.exit_code == 0 and done.stderr == "", done.stderr
    state = Session.open(str(db), readonly=True).state
    # The values were read as written, spaces, case and line ends aside.
    if name in GOOD_ATTENDANCE:
        for member, mode in GOOD_ATTENDANCE[name].items():
            assert state.attendance[member] == mode, member
        assert done.stdout.endswith(f"{len(GOOD_ATTENDANCE[name])} events recorded\n")
    elif name in GOOD_LETTERS:
        assert state.letters["kr-busan"].positions == GOOD_LETTERS[name]
    else:
        item, answers = GOOD_VOTES[name]
        assert state.items[item].votes == answers
        tally = state.tally(item)
        counted = list(answers.values())
        assert (tally.yes, tally.no, tally.abstain) == (counted.count("yes"), counted.count("no"), counted.count("abstain"))


# Each id as the file writes it (good/agenda-yaml11-forms-as-written.yaml), in order: YAML 1.1
# would have read 011 as 9, 1:30 as 90, 0x1F as 31, yes/on as true, 0o17 as 15, +3 as 3, -0 as 0.
WRITTEN_IDS = ["011", "1:30", "0x1F", "1_000", "1e3", ".5", "yes", "on", "0o17", "+3", "-0", "8.10", "3",
               "12345678901234567890123", "0b101"]


@pytest.fixture(scope="module")
def written_ids_session(tmp_path_factory):
    db = tmp_path_factory.mktemp("ids") / "ids.sqlite"
    done = corpus_cli("new", "good/agenda-yaml11-forms-as-written.yaml", "--db", str(db))
    assert done.exit_code == 0, done.stderr
    return Session.open(str(db), readonly=True).state


def test_ids_are_kept_in_the_order_written(written_ids_session):
    assert list(written_ids_session.item_order) == WRITTEN_IDS


@pytest.mark.parametrize("written", WRITTEN_IDS)
def test_an_id_is_read_exactly_as_written(written, written_ids_session):
    assert written in written_ids_session.items


def test_yaml_1_1_words_are_text_as_written(written_ids_session):
    definition = written_ids_session.definition
    titles = {item.id: item.title for item in definition.items}
    assert (titles["yes"], titles["on"]) == ("on", "No")
    assert {m.id: m.country for m in definition.members}["no-oslo"] == "NO"  # the Norway problem


@pytest.mark.parametrize("kind", ["agenda", "votes"])
def test_a_huge_file_is_refused_before_it_is_read(kind, base_db, tmp_path):
    """A file far over any roster's size (a log or an export picked by mistake) is refused at once."""
    if kind == "agenda":
        huge = tmp_path / "huge.yaml"
        with huge.open("w") as out:
            out.write("session: {id: x, title: x, body: general_assembly, venue: x, opens: 2024-01-01}\nitems:\n")
            for n in range(120_000):
                out.write(f'  - {{id: "{n}", title: Item {n}, kind: report}}\n')
        done = near("check", huge)
    else:
        huge = tmp_path / "huge.csv"
        with huge.open("w") as out:
            out.write("item_id,member_id,vote\n")
            for _ in range(400_000):
                out.write("4,cn-henan,yes\n")
        db = tmp_path / "session.sqlite"
        shutil.copy(base_db, db)
        before = digest(db)
        done = near("import", "votes", huge, "--db", db)
        assert digest(db) == before
    assert_refused(done, f"{huge}:1", "byte limit")
