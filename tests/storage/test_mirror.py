"""The mirror (``--mirror``): every event in a second SQLite file before the clerk hears of it.

The kill test runs the real clerk console with a mirror in a child process, kills it with
SIGKILL in the middle of a roll call, deletes the session database and carries on from the
mirror. The others check that the mirror is byte for byte the log, that a pulled stick or a
full stick is said loudly and made good once the stick is back, and that a mirror holding
another log is refused in one line.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest

from near_tui.core import events as ev
from near_tui.core.errors import StorageError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from near_tui.storage.mirror import Mirror, MirrorFailed
from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, HERE, ROOT, child_env, near, run_cli, toasts

ROW = "SELECT seq, kind, payload, recorded_at, prev_hash, hash FROM near_events ORDER BY seq"


def rows(path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(ROW).fetchall()
    finally:
        conn.close()


def log_events(db: str) -> list[ev.Event]:
    session = Session.open(db, readonly=True)
    try:
        return session.log.read_events()
    finally:
        session.close_log()


@pytest.fixture
def present(tmp_path):
    """The 12th GA with its attendance (29 present) and letters, in a file of its own."""
    db = str(tmp_path / "laptop.sqlite")
    session = Session.create(load_agenda(GA12), db)
    import_file(session, "attendance", GA12_ATTENDANCE)
    import_file(session, "letters", GA12_LETTERS)
    yield session, db
    session.close_log()


def test_the_mirror_holds_the_same_rows_and_is_a_session_database(present, tmp_path):
    session, db = present
    stick = tmp_path / "stick" / "mirror.sqlite"
    stick.parent.mkdir()
    mirror = Mirror.attach(session, str(stick))
    assert rows(stick) == rows(db)  # what was there before is copied at start
    session.open_vote("2")
    answered = {}
    for answer in ("yes", "no", "abstain", "yes"):
        member = session.state.now_calling("2")
        session.record_vote("2", member, answer)
        answered[member] = answer
        # Before record_vote returned, the mirror file already held the vote.
        assert rows(stick) == rows(db)
    assert mirror.last_seq == len(rows(db))
    # The rollback journal leaves every event in the file itself: nothing waits in a -wal file,
    # and the journal is empty between commits.
    assert not Path(f"{stick}-wal").exists()
    assert not Path(f"{stick}-journal").exists() or Path(f"{stick}-journal").stat().st_size == 0
    alone = tmp_path / "copied-off-the-stick.sqlite"
    alone.write_bytes(stick.read_bytes())  # the file alone, as someone in a hurry would copy it
    assert rows(alone) == rows(db)
    session.close_log()
    copy = Session.open(str(stick), readonly=True)
    try:
        assert copy.state.items["2"].votes == answered
        assert ev.chain_problems(copy.log.read_events()) == []
    finally:
        copy.close_log()


def test_other_writers_events_reach_the_mirror_at_the_next_write(present, tmp_path):
    session, db = present
    stick = tmp_path / "mirror.sqlite"
    Mirror.attach(session, str(stick))
    other = Session.open(db)  # a second seat, or the close worker: no mirror of its own
    other.set_attendance("cn-anhui", "in_person")
    other.set_attendance("cn-hubei", "online")
    other.close_log()
    session.set_attendance("cn-jilin", "online")
    assert rows(stick) == rows(db)
    # Folding others' events in (as the clerk does after the close worker) copies them too.
    other = Session.open(db)
    other.set_attendance("cn-anhui", "online")
    other.close_log()
    session.refresh()
    assert rows(stick) == rows(db)


def test_a_pulled_stick_is_said_and_made_good_when_it_is_back(present, tmp_path):
    session, db = present
    stick = tmp_path / "stick" / "mirror.sqlite"
    stick.parent.mkdir()
    mirror = Mirror.attach(session, str(stick))
    notices = []
    mirror.notice = notices.append
    session.open_vote("2")
    first = session.state.now_calling("2")
    session.record_vote("2", first, "yes")
    away = tmp_path / "elsewhere.sqlite"
    stick.rename(away)  # the stick is pulled: the file is no longer where it was

    missed = []
    for answer in ("no", "abstain"):
        member = session.state.now_calling("2")
        with pytest.raises(MirrorFailed) as failed:
            session.record_vote("2", member, answer)
        missed.append((member, answer))
        message = str(failed.value)
        assert message.startswith("recorded on this laptop, NOT on the mirror")
        assert "USB stick pulled?" in message
    # Recorded on the laptop all the same, and nothing was made on the laptop in the stick's place.
    assert all(session.state.items["2"].votes[m] == a for m, a in missed)
    reader = Session.open(db, readonly=True)
    assert all(reader.state.items["2"].votes[m] == a for m, a in missed)
    reader.close_log()
    assert not stick.exists()

    away.rename(stick)  # the stick is back
    last = session.state.now_calling("2")
    session.record_vote("2", last, "yes")
    assert rows(stick) == rows(db)
    assert notices == [f"The mirror {stick} holds every event again (up to event {len(rows(db))})."]
    session.close_log()


@contextmanager
def small_stick(size: str = "1m"):
    """A folder on a filesystem of its own (root: a tmpfs); yields (folder, mounted?)."""
    folder = Path(tempfile.mkdtemp(prefix="near-stick-"))
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True).returncode == 0
    try:
        yield folder, mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)
        for child in folder.iterdir() if folder.exists() else []:
            child.unlink()
        folder.rmdir()


def test_a_full_stick_is_said_and_made_good_when_there_is_room(present):
    session, db = present
    with small_stick() as (folder, mounted):
        stick = folder / "mirror.sqlite"
        mirror = Mirror.attach(session, str(stick))
        filler = folder / "filler"
        if mounted:
            # Fill the stick to the last byte.
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            try:
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
        else:
            mirror.conn.execute(f"PRAGMA max_page_count={mirror.conn.execute('PRAGMA page_count').fetchone()[0]}")
        with pytest.raises(MirrorFailed) as failed:
            session.open_vote("2")
            for answer in ("yes", "no", "abstain") * 10:
                session.record_vote("2", session.state.now_calling("2"), answer)
        assert "NOT on the mirror" in str(failed.value) and "disk is full" in str(failed.value)
        assert session.state.items["2"].status == "open"  # recorded on the laptop all the same
        assert len(rows(db)) == len(rows(stick)) + 1
        assert ev.chain_problems(log_events(str(stick))) == []  # what the mirror holds is whole
        filler.unlink(missing_ok=True)
        session.record_vote("2", session.state.now_calling("2"), "yes")
        assert rows(stick) == rows(db)
        session.close_log()


def test_a_commit_cut_short_on_the_mirror_is_rolled_back_by_any_reader(present, tmp_path):
    session, db = present
    stick = tmp_path / "mirror.sqlite"
    Mirror.attach(session, str(stick)).close()
    session.after_commit.clear()
    whole = rows(stick)
    # A writer killed inside a big commit: pages already in the file, the journal still hot.
    pid = os.fork()
    if pid == 0:  # pragma: no cover — the child is killed
        conn = sqlite3.connect(stick, isolation_level=None)
        conn.execute("PRAGMA journal_mode=TRUNCATE")
        conn.execute("PRAGMA cache_size=1")
        conn.execute("BEGIN IMMEDIATE")
        for n in range(2000):
            conn.execute("INSERT INTO near_events VALUES (?, 'vote_recorded', ?, '', '', ?)",
                         (10_000 + n, "x" * 400, f"h{n}"))
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)
    assert Path(f"{stick}-journal").stat().st_size > 0
    done = near("report", "--db", stick, "--json")
    assert done.exit_code == 0, done.stderr
    assert rows(stick) == whole
    assert near("audit", "--db", stick).exit_code == 0


def test_a_mirror_of_another_log_or_ahead_is_refused(present, tmp_path):
    session, db = present
    other = tmp_path / "other.sqlite"
    Session.create(load_agenda(GA12), str(other)).close_log()
    with pytest.raises(StorageError, match="the mirror holds another log"):
        Mirror.attach(session, str(other))

    ahead = tmp_path / "ahead.sqlite"
    Mirror.attach(session, str(ahead)).close()
    session.after_commit.clear()
    writer = Session.open(str(ahead))
    writer.set_attendance("cn-anhui", "in_person")
    writer.close_log()
    with pytest.raises(StorageError, match="holds 1 event\\(s\\) more than .* it is ahead"):
        Mirror.attach(session, str(ahead))


def test_unusable_mirror_paths_are_refused_in_one_line(present, tmp_path):
    session, db = present
    session.close_log()
    for mirror, fragment in [("postgresql://host/db", "must be an SQLite file path"),
                             (db, "is the session database itself"),
                             (str(tmp_path / "no-stick" / "m.sqlite"), "is the USB stick mounted?"),
                             (str(tmp_path), "is a folder")]:
        done = run_cli("clerk", "--db", db, "--mirror", mirror)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("near-tui: ")
        assert fragment in done.stderr
    other = tmp_path / "other.sqlite"
    assert run_cli("new", str(GA12), "--db", str(other)).returncode == 0
    done = run_cli("clerk", "--db", db, "--mirror", str(other))
    assert done.returncode == 2
    assert done.stderr.startswith("near-tui: ") and "the mirror holds another log" in done.stderr
    done = run_cli("demo", "--mirror", str(other))
    assert done.returncode == 2 and "already exists" in done.stderr


async def test_the_clerk_says_not_on_the_mirror_and_goes_on(present, tmp_path):
    from near_tui.clerk.app import build_app

    session, db = present
    session.close_log()
    stick = tmp_path / "mirror.sqlite"

    async def run():
        app = build_app(db, item="2", mirror=str(stick))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            first = app.state.now_calling("2")
            await pilot.press("y")
            stick.rename(tmp_path / "pulled.sqlite")
            second = app.state.now_calling("2")
            await pilot.press("n")
            await pilot.pause()
            shown = toasts(app)
            # The answer stands and the cursor went on to the next member.
            assert app.state.items["2"].votes == {first: "yes", second: "no"}
            assert app.state.now_calling("2") not in (first, second)
            return shown

    shown = await run()
    assert [t for t, m in shown if m.startswith("recorded on this laptop, NOT on the mirror")] == ["NOT ON THE MIRROR"]
    assert not any(t == "Not recorded" for t, _ in shown)


# ------------------------------------------------------------------ kill test
def read_acks(path: Path) -> tuple[dict[tuple[str, str], str], str]:
    text = path.read_text() if path.exists() else ""
    acked = {}
    for line in text.splitlines():
        if line.startswith("ACK "):
            _, item_id, member_id, vote = line.split()
            acked[item_id, member_id] = vote
    return acked, text


def start_clerk(db: str, mirror: str, acks: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / "clerk_mirror_driver.py"), db, mirror, "2", str(acks)],
                            cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(acks: Path, done, clerk: subprocess.Popen, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = acks.read_text() if acks.exists() else ""
        if done(text):
            return text
        assert clerk.poll() is None, f"the clerk ended early: {clerk.communicate()}"
        assert time.monotonic() < deadline, "the clerk did not get there in time"
        time.sleep(0.005)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_the_clerk_lose_the_laptop_carry_on_from_the_mirror(tmp_path, seed):
    laptop, stick = tmp_path / "laptop", tmp_path / "stick"
    laptop.mkdir()
    stick.mkdir()
    db, mirror = str(laptop / "ga12.sqlite"), str(stick / "ga12.sqlite")
    session = Session.create(load_agenda(GA12), db)
    import_file(session, "attendance", GA12_ATTENDANCE)  # 29 present, no letters: all answer by voice
    session.close_log()

    rng = random.Random(seed)
    acks = tmp_path / "acks-1.txt"
    clerk = start_clerk(db, mirror, acks)
    try:
        wanted = rng.randint(3, 20)
        wait_for(acks, lambda text: text.count("ACK ") >= wanted, clerk)
        time.sleep(rng.uniform(0, 0.05))  # anywhere: between keys, inside a commit, inside the mirror's
        clerk.send_signal(signal.SIGKILL)
        clerk.wait(timeout=30)
    finally:
        if clerk.poll() is None:
            clerk.kill()
    acked, text = read_acks(acks)
    assert "DONE" not in text and len(acked) >= wanted

    # The laptop is lost: only the stick is left.
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(db + suffix).unlink(missing_ok=True)
    report = near("report", "--db", mirror, "--json")
    assert report.exit_code == 0, report.stderr
    item = next(i for i in json.loads(report.stdout)["items"] if i["id"] == "2")
    events = log_events(mirror)
    assert ev.chain_problems(events) == []
    votes = {(e.payload["item_id"], e.payload["member_id"]): e.payload["vote"]
             for e in events if e.kind == ev.VOTE_RECORDED}
    assert Counter(e.kind for e in events)[ev.VOTE_CORRECTED] == 0
    # Every acknowledged answer is on the stick, as given; at most the one in flight besides.
    assert {key: votes.get(key) for key in acked} == acked
    assert len(votes) - len(acked) <= 1
    answers = Counter(votes.values())
    assert (item["yes"], item["no"], item["abstain"]) == (answers["yes"], answers["no"], answers["abstain"])

    # Another laptop, as docs/laptop-died.md says: audit the stick, back it up onto the disk, and
    # carry on there with the same stick as the mirror, to the end of the roll call.
    audit = near("audit", "--db", mirror)
    assert audit.exit_code == 0 and audit.stdout.startswith(f"audit: {len(events)} events"), audit.stdout
    spare = tmp_path / "spare"
    spare.mkdir()
    db2 = str(spare / "ga12.sqlite")
    assert near("backup", "--db", mirror, db2).exit_code == 0
    acks2 = tmp_path / "acks-2.txt"
    clerk = start_clerk(db2, mirror, acks2)
    try:
        assert clerk.wait(timeout=120) == 0, clerk.communicate()
    finally:
        if clerk.poll() is None:
            clerk.kill()
    more, text = read_acks(acks2)
    assert "DONE" in text
    assert not set(more) & set(votes), "a member answered on the stick was called again"
    assert rows(mirror) == rows(db2)  # the stick is the mirror again, and holds all of it
    final = Session.open(db2)
    final.close_vote("2")
    tally = final.state.tally("2")
    final.close_log()
    everyone = {key[1]: vote for key, vote in {**votes, **more}.items()}
    count = Counter(everyone.values())
    assert len(everyone) == 29
    assert (tally.yes, tally.no, tally.abstain, tally.not_voting) == (count["yes"], count["no"], count["abstain"], 0)
