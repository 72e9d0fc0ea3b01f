"""Hostile inputs that cannot be committed as files (docs/hardening.md, "Hostile files").

Folders, devices and named pipes given as files; files over the limits, made here; database
names that are URL syntax; commands that must not create a database; file names that would
forge output; PostgreSQL servers that refuse. Each is refused on one line (exit 2, nothing
written) or works exactly as a user would expect. Whatever could block (a pipe, a device, a
gigabyte, a loop of links) runs the real ``near-tui`` in a child process with a deadline; the
rest run the same command in this process through click's runner.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from near_tui.service.session import Session
from support import BAD_INPUTS, near, run_cli

BASE_AGENDA = BAD_INPUTS / "base" / "agenda.yaml"
BASE_ATTENDANCE = BAD_INPUTS / "base" / "attendance.csv"


def status(done) -> int:
    """The exit status of a command run in this process (click's Result) or in a child."""
    return done.returncode if isinstance(done, subprocess.CompletedProcess) else done.exit_code


def refused(done, says: str, where: str | None = None) -> str:
    """The one line of a refusal; checks exit 2, no traceback, one printable line."""
    assert status(done) == 2, f"exit {status(done)}: {done.stdout}{done.stderr}"
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, f"expected one line, got: {done.stderr!r}"
    line = lines[0]
    assert line.startswith("near-tui: "), line
    assert line.isprintable(), ascii(line)
    if where is not None:
        assert line.startswith(f"near-tui: {where}: "), line
    assert says in line, line
    return line


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "base.sqlite"
    for args in (["new", str(BASE_AGENDA)], ["import", "attendance", str(BASE_ATTENDANCE)]):
        done = near(*args, "--db", db)
        assert done.exit_code == 0, done.stderr
    return db


@pytest.fixture
def session_db(base_db, tmp_path) -> Path:
    db = tmp_path / "session.sqlite"
    shutil.copy(base_db, db)
    return db


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ------------------------------------------------------------ not a regular file

@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_a_folder_as_the_agenda(tmp_path):
    folder = tmp_path / "agenda.yaml"
    folder.mkdir()
    refused(run_cli("check", str(folder)), "is a folder, not a file", where=f"{folder}:1")


def test_dev_zero_as_the_agenda_is_refused_without_reading():
    # /dev/zero never ends: reading it would fill the memory. It must be refused at once.
    refused(run_cli("check", "/dev/zero", timeout=20), "is a device, not a regular file", where="/dev/zero:1")


def test_a_named_pipe_as_the_agenda_does_not_hang(fifo):
    # Nobody writes to the pipe: opening it for reading would wait for ever.
    refused(run_cli("check", str(fifo), timeout=20), "is a named pipe, not a regular file", where=f"{fifo}:1")


def test_a_path_through_a_file_as_the_agenda(tmp_path):
    plain = tmp_path / "plain.yaml"
    plain.write_text("x: 1\n")
    refused(run_cli("check", str(plain / "agenda.yaml")), "cannot read the file (Not a directory)")


def test_a_folder_as_the_roster(tmp_path):
    (tmp_path / "members.yaml").mkdir()
    agenda = tmp_path / "agenda.yaml"
    agenda.write_text(BASE_AGENDA.read_text())
    refused(run_cli("check", str(agenda)), "roster file 'members.yaml' not found next to the agenda", where=f"{agenda}:3")


@pytest.mark.parametrize("what", ["folder", "fifo", "/dev/zero", "/dev/null"])
def test_not_a_regular_file_as_a_csv(what, session_db, tmp_path):
    if what == "folder":
        path = tmp_path / "votes.csv"
        path.mkdir()
        says = "is a folder, not a file"
    elif what == "fifo":
        path = tmp_path / "votes.csv"
        os.mkfifo(path)
        says = "is a named pipe"
    else:
        path = Path(what)
        says = "is a device"
    before = session_db.read_bytes()
    refused(run_cli("import", "votes", str(path), "--db", str(session_db), timeout=20), says, where=f"{path}:1")
    assert session_db.read_bytes() == before


def test_an_unreadable_agenda_is_one_line(tmp_path, monkeypatch, capsys):
    # The tests run as root, who reads any file: the refusal of the open is made here instead.
    from near_tui.cli.main import main
    from near_tui.inputs import yaml_lines

    agenda = tmp_path / "agenda.yaml"
    agenda.write_text(BASE_AGENDA.read_text())

    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(yaml_lines.os, "open", denied)
    with pytest.raises(SystemExit) as stop:
        main(["check", str(agenda)], prog_name="near-tui")
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err == f"near-tui: {agenda}:1: cannot read the file (Permission denied) — check the path and permissions\n"


def test_a_folder_as_the_key(session_db, tmp_path):
    (tmp_path / "key").mkdir()
    refused(run_cli("close", "--db", str(session_db), "--key", str(tmp_path / "key")), "is a directory")


def test_a_missing_folder_to_verify(tmp_path):
    refused(near("verify", tmp_path / "nowhere", "--pub", tmp_path / "k.pub"), "does not exist")


def test_a_folder_as_the_database(tmp_path):
    refused(near("import", "attendance", BASE_ATTENDANCE, "--db", tmp_path),
            "is a folder, not a session database", where=str(tmp_path))


@pytest.mark.parametrize("args", [["check"], ["new", str(BASE_AGENDA)], ["check", "--bogus", "x"]])
def test_usage_errors_are_one_line(args):
    refused(near(*args), "--help")


# ------------------------------------------------------------------- the limits

def test_a_yaml_file_of_many_tiny_values_stops_at_the_value_limit(tmp_path):
    # 60,000 values in 360 KB: far under the byte limit, over the value limit (yaml_lines.MAX_YAML_NODES).
    agenda = tmp_path / "many.yaml"
    agenda.write_text("items:\n" + "  - x\n" * 60_000)
    refused(near("check", agenda), "more than 50000 YAML values")


def test_a_gigabyte_single_line_csv_is_refused_before_it_is_read(session_db, tmp_path):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:
        out.write(b"item_id,member_id,vote\n4,cn-henan,")
        out.truncate(1 << 30)  # sparse: a gigabyte on paper, nothing on disk
    before = session_db.read_bytes()
    refused(run_cli("import", "votes", str(huge), "--db", str(session_db), timeout=30),
            f"file is {1 << 30} bytes, over the 5242880 byte limit", where=f"{huge}:1")
    assert session_db.read_bytes() == before


def test_more_csv_rows_than_the_limit_are_refused(session_db, tmp_path):
    # 100,001 rows in 1.5 MB: under the byte limit, over the row limit (yaml_lines.MAX_CSV_ROWS).
    rows = tmp_path / "rows.csv"
    rows.write_text("item_id,member_id,vote\n" + "4,cn-henan,yes\n" * 100_001)
    before = session_db.read_bytes()
    refused(near("import", "votes", rows, "--db", session_db), "more than 100000 rows",
            where=f"{rows}:100002")
    assert session_db.read_bytes() == before


# ------------------------------------------------------- --db names and URLs

@pytest.mark.parametrize("name", ["a?b.sqlite", "a#b.sqlite", "a%b.sqlite", "a%3Fb.sqlite", "a b.sqlite",
                                  "ga12 ?#% x.sqlite", "mode=ro?immutable=1"])
def test_a_database_name_that_is_url_syntax_is_that_file(name, tmp_path):
    folder = tmp_path / "here"
    folder.mkdir()
    db = folder / name
    assert near("new", BASE_AGENDA, "--db", db).exit_code == 0
    done = near("import", "attendance", BASE_ATTENDANCE, "--db", db)
    assert done.exit_code == 0, done.stderr
    report = near("report", "--db", db, "--json")
    assert report.exit_code == 0, report.stderr
    # Exactly that file holds the session; no other file was made beside it.
    assert files_in(folder) <= {name, f"{name}-wal", f"{name}-shm"} and name in files_in(folder)
    with sqlite3.connect(f"file:{quote(str(db))}?mode=ro", uri=True) as conn:
        events = conn.execute("select count(*) from near_events").fetchone()[0]
    # base/attendance.csv names five members: the session opened, its seat joined, then one event per member.
    assert events == 2 + 5
    in_person = BASE_ATTENDANCE.read_text().count(",in_person")
    assert json.loads(report.stdout)["attendance"]["in_person"] == in_person == 3


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"])
@pytest.mark.parametrize("command", ["new", "import"])
def test_an_in_memory_database_is_refused(url, command, tmp_path):
    args = ["new", str(BASE_AGENDA)] if command == "new" else ["import", "attendance", str(BASE_ATTENDANCE)]
    done = run_cli(*args, "--db", url, cwd=tmp_path)
    refused(done, "an in-memory database keeps nothing once the command ends — give a file path")
    assert files_in(tmp_path) == set()


# ------------------------------------------------------------ only `new` creates

@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "clerk.key"
    done = run_cli("keygen", "--out", str(path))
    assert done.returncode == 0, done.stderr
    return path


def writing_commands(key: Path) -> dict[str, list[str]]:
    return {
        "import attendance": ["import", "attendance", str(BASE_ATTENDANCE)],
        "import letters": ["import", "letters", str(BAD_INPUTS / "good" / "letters-bom-crlf.csv")],
        "import votes": ["import", "votes", str(BAD_INPUTS / "good" / "votes-crlf-spaces.csv")],
        "close": ["close", "--key", str(key)],
        "reopen": ["reopen", "--reason", "a slip"],
        "clerk": ["clerk"],
    }


@pytest.mark.parametrize("command", ["import attendance", "import letters", "import votes", "close", "reopen", "clerk"])
@pytest.mark.parametrize("state", ["missing", "empty"])
def test_only_new_creates_a_database(command, state, key, tmp_path):
    db = tmp_path / "session.sqlite"
    if state == "empty":
        db.write_bytes(b"")
    done = run_cli(*writing_commands(key)[command], "--db", str(db), timeout=30)
    line = refused(done, "")
    assert (f"no session database at {db} — create it with near-tui new" in line
            or f"{db}: no such session database" in line), line
    if state == "missing":
        assert not db.exists()
    else:
        assert db.stat().st_size == 0
    assert files_in(tmp_path) == ({"session.sqlite"} if state == "empty" else set())


def test_new_turns_an_empty_file_into_a_session(tmp_path):
    db = tmp_path / "session.sqlite"
    db.write_bytes(b"")
    assert run_cli("new", str(BASE_AGENDA), "--db", str(db)).returncode == 0
    assert Session.open(str(db), readonly=True).state.definition.session.id == "bad-inputs"


# --------------------------------------------------- names that forge output

@pytest.mark.parametrize("name", ["two\nlines.yaml", "esc\x1b[2Jclear.yaml", "rlo\u202eslmy.yaml", "cr\rback.yaml"])
def test_a_file_name_cannot_forge_the_error_line(name, tmp_path):
    agenda = tmp_path / name
    agenda.write_text("- not a mapping\n")
    line = refused(run_cli("check", str(agenda)), "an agenda file is a mapping")
    escaped = name.encode("unicode_escape").decode("ascii")
    assert f"{tmp_path}/{escaped}:1: " in line, line


# --------------------------------------------------------- PostgreSQL refusals

def test_postgresql_refused_connection_is_one_line(tmp_path):
    # A unix-socket folder where no server listens: the connection is refused at once.
    url = f"postgresql+psycopg://postgres@/near?host={tmp_path}&port=5999"
    line = refused(near("import", "attendance", BASE_ATTENDANCE, "--db", url),
                   "cannot reach the database server")
    assert "check the host and port in the URL" in line


def test_postgresql_unknown_host_is_one_line():
    url = "postgresql+psycopg://postgres:secret@no-such-host.invalid/near?connect_timeout=5"
    line = refused(run_cli("report", "--db", url, timeout=60), "cannot reach the database server")
    assert "secret" not in line and "***" in line


def test_postgresql_missing_database_is_one_line(pg_server):
    url = pg_server.url("no_such_database")
    refused(near("import", "attendance", BASE_ATTENDANCE, "--db", url),
            "the database server has no database of that name")


def test_postgresql_unknown_user_is_one_line(pg_server):
    url = pg_server.new_database().replace("postgres@", "nobody_here@")
    refused(near("report", "--db", url), "the database server has no such user")


def test_postgresql_wrong_password_is_one_line_and_hides_it(pg_server):
    url = pg_server.password_url("wrong-password")
    line = refused(near("report", "--db", url), "refused the user name or password")
    assert "wrong-password" not in line


def test_postgresql_right_password_works(pg_server):
    url = pg_server.password_url(pg_server.PASSWORD)
    done = near("new", BASE_AGENDA, "--db", url)
    assert done.exit_code == 0, done.stderr
    assert near("report", "--db", url).exit_code == 0


def test_postgresql_without_a_session_is_one_line(pg_server):
    refused(near("import", "attendance", BASE_ATTENDANCE, "--db", pg_server.new_database()),
            "not a near_tui session database")


def test_a_sqlite_url_is_not_created_either(tmp_path):
    url = f"sqlite:///{tmp_path}/session.sqlite"
    refused(near("import", "attendance", BASE_ATTENDANCE, "--db", url), f"no session database at {url}")
    assert files_in(tmp_path) == set()
    assert near("new", BASE_AGENDA, "--db", url).exit_code == 0
    assert near("import", "attendance", BASE_ATTENDANCE, "--db", url).exit_code == 0
    assert len(Session.open(str(tmp_path / "session.sqlite"), readonly=True).state.attendance) == 5


# ------------------------------------------------------------ links, keys, checkpoints

def db_commands(key: Path, folder: Path) -> dict[str, list[str]]:
    return {**writing_commands(key),
            "new": ["new", str(BASE_AGENDA)],
            "report": ["report"],
            "report --json": ["report", "--json"],
            "audit": ["audit"],
            "backup": ["backup", str(folder / "copy.sqlite")],
            "agenda withdraw": ["agenda", "withdraw", "--item", "1", "--reason", "late"],
            "board": ["board", "--port", "18470"],
            "chair": ["chair"],
            "chair --serve": ["chair", "--serve", "--port", "18471"],
            "verify": ["verify", str(folder), "--pub", str(key) + ".pub"]}


@pytest.mark.parametrize("command", ["import attendance", "import letters", "import votes", "close", "reopen", "clerk",
                                     "new", "report", "report --json", "audit", "backup", "agenda withdraw", "board",
                                     "chair", "chair --serve", "verify"])
def test_a_db_that_is_a_loop_of_symbolic_links_is_one_line(command, key, tmp_path):
    loop = tmp_path / "loop.sqlite"
    loop.symlink_to(tmp_path / "other.sqlite")
    (tmp_path / "other.sqlite").symlink_to(loop)
    done = run_cli(*db_commands(key, tmp_path)[command], "--db", str(loop), timeout=60)
    refused(done, "a loop of symbolic links", where=str(loop))
    assert files_in(tmp_path) == {"loop.sqlite", "other.sqlite"}


def test_keygen_out_at_a_dangling_link_is_one_line(tmp_path):
    out = tmp_path / "keys" / "ga12.key"
    out.parent.mkdir()
    out.symlink_to(tmp_path / "nowhere" / "ga12.key")
    done = run_cli("keygen", "--out", str(out))
    refused(done, "a symbolic link to", where=f"{out}:1")
    assert files_in(out.parent) == {"ga12.key"} and out.is_symlink() and not out.exists()


@pytest.fixture(scope="module")
def _closed_made(base_db, key, tmp_path_factory) -> Path:
    """The corpus session closed and signed once for the module (a close writes two PDFs: seconds)."""
    made = tmp_path_factory.mktemp("closed")
    shutil.copy(base_db, made / "session.sqlite")
    done = near("close", "--db", made / "session.sqlite", "--key", key, "--out", made / "closed", "--leave-pending")
    assert done.exit_code == 0, done.stderr
    assert not (made / "session.sqlite-wal").exists()  # all of it in the one file that is copied
    return made


@pytest.fixture
def closed_folder(_closed_made, session_db, tmp_path) -> Path:
    """A copy of the closed session: its database at ``session_db``, its files in closed/."""
    shutil.copy(_closed_made / "session.sqlite", session_db)
    folder = tmp_path / "closed"
    shutil.copytree(_closed_made / "closed", folder)
    (folder / "checkpoints").mkdir()
    return folder


@pytest.mark.parametrize("entry, says", [("fifo", "is a named pipe"), ("folder", "is a folder"),
                                         ("superscript", "not a checkpoint (they are named EVENT.json"),
                                         ("folder signature", "is a folder")])
@pytest.mark.parametrize("command", ["verify", "audit"])
def test_hostile_entries_in_checkpoints_are_one_line_and_never_block(entry, says, command, closed_folder,
                                                                     session_db, key):
    marks = closed_folder / "checkpoints"
    name = {"fifo": "7.json", "folder": "9.json", "superscript": "².json", "folder signature": "3.json.minisig"}[entry]
    if entry == "fifo":
        os.mkfifo(marks / name)  # a reader that opened it blocking would wait for a writer for ever
    elif entry == "superscript":
        (marks / name).write_text("{}")
    else:
        (marks / name).mkdir()
        if entry == "folder signature":
            (marks / "3.json").write_text("{}")
    pub = str(key) + ".pub"
    args = (["verify", str(closed_folder), "--pub", pub, "--db", str(session_db)] if command == "verify"
            else ["audit", "--db", str(session_db), "--checkpoints", str(closed_folder), "--pub", pub])
    done = run_cli(*args, timeout=30)
    refused(done, says, where=f"{marks / name}:1")


@pytest.mark.parametrize("witness, says", [("fifo", "is a named pipe, not a regular file"),
                                           ("/dev/zero", "is a device, not a regular file")])
@pytest.mark.parametrize("with_db", [True, False], ids=["with-db", "without-db"])
def test_a_witness_that_is_no_regular_file_is_one_line_and_never_blocks(witness, says, with_db, closed_folder,
                                                                        session_db, key, tmp_path):
    path = Path(witness) if witness.startswith("/") else tmp_path / "kept.json"
    if witness == "fifo":
        os.mkfifo(path)  # nobody writes to it: a reader that opened it blocking would wait for ever
    db = ["--db", str(session_db)] if with_db else []
    done = run_cli("verify", str(closed_folder), "--pub", str(key) + ".pub", *db, "--witness", str(path), timeout=30)
    refused(done, says, where=f"{path}:1")
