"""A close's signed files appear in their folder whole or not at all, whatever stops the close, and
``verify`` never reads a set a close is still writing (or left unfinished) as the signed one."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from near_tui.declaration import closing, closing_folder, verification
from near_tui.declaration.closing import close_and_write
from near_tui.declaration.verification import verify_folder
from near_tui.service.session import Session
from support import FixedClock, small_session

# What a close of the small English session below writes: six files, each with its signature.
FILES = ("record.csv", "record.json", "declaration.md", "declaration.pdf", "minutes.md", "minutes.pdf")
SET = FILES + tuple(f"{name}.minisig" for name in FILES)


class Crash(Exception):
    """Stands for the process dying: nothing after it runs, nothing cleans up."""


@pytest.fixture
def closed_db(tmp_path) -> str:
    """A two-member session, closed with its decision left pending (its files not written yet)."""
    db = small_session(tmp_path, ["Akita", "Busan"], present=[0, 1])
    session = Session.open(db, clock=FixedClock("2018-10-29T10:00:00"))
    session.close_session(leave_pending=True)
    session.close_log()
    return db


@pytest.fixture
def rendered_once(monkeypatch):
    """Render the closed log's files once (the PDFs take a while): the loops below test where the
    files go, not what they say. Signing still happens at every close."""
    real, kept = closing.render_closed, {}

    def once(events):
        key = (len(events), events[-1].hash)
        if key not in kept:
            kept[key] = real(events)
        return kept[key]
    monkeypatch.setattr(closing, "render_closed", once)


def close(db: str, key: Path, out: Path):
    session = Session.open(db)
    try:
        return close_and_write(session, key, out, leave_pending=True)
    finally:
        session.close_log()


def set_files(folder: Path) -> dict[str, bytes]:
    """The files of the signed set found in ``folder`` (hidden leftovers and subfolders aside)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name in SET} \
        if folder.is_dir() else {}


def crash_after(monkeypatch, module, name: str, calls: int) -> None:
    """Make ``module.name`` raise ``Crash`` on its call number ``calls + 1``."""
    real, done = getattr(module, name), []

    def counted(*args, **kwargs):
        if len(done) == calls:
            raise Crash(f"{name} stopped after {calls}")
        done.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, counted)


def only_problem(found) -> str:
    assert not found.ok and len(found.problems) == 1, found.problems
    return found.problems[0]


def test_the_set_is_written_whole_with_record_json_minisig_last(closed_db, key_pair, tmp_path):
    out = tmp_path / "out"
    written = close(closed_db, key_pair[0], out)
    assert written.fresh and [p.name for p in written][-1] == "record.json.minisig"
    assert sorted(p.name for p in written) == sorted(SET) == sorted(p.name for p in out.iterdir())
    assert not closing_folder.staging_folder(out).exists()
    assert verify_folder(out, key_pair[1], closed_db).holds


@pytest.mark.parametrize("folder", ["new", "with checkpoints"])
def test_a_close_stopped_at_any_file_shows_no_set_and_the_next_close_completes(folder, closed_db, key_pair,
                                                                                tmp_path, monkeypatch,
                                                                                rendered_once):
    key, pub = key_pair
    for stop in range(len(SET)):
        out = tmp_path / f"out-{stop}"
        if folder == "with checkpoints":
            (out / "checkpoints").mkdir(parents=True)  # the vote closes made the folder before the close
        with monkeypatch.context() as patch:
            crash_after(patch, closing_folder, "write_atomic", stop)
            with pytest.raises(Crash):
                close(closed_db, key, out)
        # Not a single file of the set is in the folder, and verify says why in one line.
        assert set_files(out) == {}, stop
        if folder == "new":
            assert not out.exists()
        line = only_problem(verify_folder(out, pub, closed_db))
        assert "a close was interrupted before its signed files were all in place" in line
        assert "run `near-tui close` again" in line
        written = close(closed_db, key, out)
        assert written.fresh and sorted(set_files(out)) == sorted(SET)
        assert not closing_folder.staging_folder(out).exists()
        assert verify_folder(out, pub, closed_db).holds, stop


def test_a_close_stopped_while_moving_files_in_is_finished_without_rewriting_them(closed_db, key_pair, tmp_path,
                                                                                  monkeypatch, rendered_once):
    key, pub = key_pair
    for stop in range(len(SET)):
        out = tmp_path / f"out-{stop}"
        (out / "checkpoints").mkdir(parents=True)
        with monkeypatch.context() as patch:
            crash_after(patch, closing_folder, "_move", stop)
            with pytest.raises(Crash):
                close(closed_db, key, out)
        moved = set_files(out)
        assert len(moved) == stop and "record.json.minisig" not in moved
        staged = {p.name: p.read_bytes() for p in closing_folder.staging_folder(out).iterdir()}
        line = only_problem(verify_folder(out, pub, closed_db))
        assert "a close was interrupted" in line, stop
        written = close(closed_db, key, out)
        assert written.fresh
        now = set_files(out)
        # What was staged goes in as it was (PDFs included): nothing is rendered or signed again.
        assert now == {**moved, **staged}
        assert verify_folder(out, pub, closed_db).holds, stop


def held_close(monkeypatch, module, name: str, after: int):
    """Patch ``module.name`` to stop at call ``after + 1`` until ``release`` is set; returns
    (reached, release)."""
    real, done = getattr(module, name), []
    reached, release = threading.Event(), threading.Event()

    def held(*args, **kwargs):
        if len(done) == after:
            reached.set()
            assert release.wait(60), "the test never released the close"
        done.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, held)
    return reached, release


def run_in_thread(target) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(target()), daemon=True)
    thread.start()
    return thread, result


@pytest.mark.parametrize("phase,where,after", [("write_atomic", "new", 5), ("write_atomic", "with checkpoints", 11),
                                               ("_move", "with checkpoints", 7)])
def test_verify_during_a_close_says_it_is_under_way_never_missing_files(phase, where, after, closed_db, key_pair,
                                                                        tmp_path, monkeypatch, cli):
    key, pub = key_pair
    out = tmp_path / "out"
    if where == "with checkpoints":
        (out / "checkpoints").mkdir(parents=True)
    reached, release = held_close(monkeypatch, closing_folder, phase, after)
    thread, result = run_in_thread(lambda: close(closed_db, key, out))
    try:
        assert reached.wait(60)
        line = only_problem(verify_folder(out, pub, closed_db))
        assert "a close is writing its signed files now" in line and "then run verify again" in line
        shown = cli("verify", out, "--pub", pub, "--db", closed_db)
        assert shown.exit_code == 1
        assert [s for s in shown.output.splitlines() if s.startswith(("ok", "FAIL"))] == [f"FAIL  {line}"]
        # The staging folder itself is not a signed set either.
        staging = closing_folder.staging_folder(out)
        assert "the temporary folder of a close, not a signed set" in only_problem(verify_folder(staging, pub))
    finally:
        release.set()
        thread.join(60)
    assert result and result[0].fresh
    assert verify_folder(out, pub, closed_db).holds


def test_a_close_finishing_while_verify_reads_is_reported_not_half_read(closed_db, key_pair, tmp_path, monkeypatch):
    key, pub = key_pair
    out = tmp_path / "out"
    (out / "checkpoints").mkdir(parents=True)
    real = verification._verify_files

    def close_meanwhile(*args, **kwargs):
        found = real(*args, **kwargs)  # read with no file there: every one missing
        assert any("missing" in p for p in found.problems)
        close(closed_db, key, out)  # the whole close happens before verify looks again
        return found
    monkeypatch.setattr(verification, "_verify_files", close_meanwhile)
    line = only_problem(verify_folder(out, pub, closed_db))
    assert "a close put its signed files into it while it was being checked — run verify again" in line
    monkeypatch.setattr(verification, "_verify_files", real)
    assert verify_folder(out, pub, closed_db).holds


def test_closing_again_writes_nothing_over_a_whole_set(closed_db, key_pair, tmp_path, cli):
    key, pub = key_pair
    out = tmp_path / "out"
    close(closed_db, key, out)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}
    again = cli("close", "--db", closed_db, "--key", key, "--out", out)
    assert again.exit_code == 0, again.output
    assert f"the signed files are already all in {out}: nothing written over them" in again.output
    assert "wrote" not in again.output
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()} == before


def test_a_half_set_without_its_staging_folder_is_completed_only_when_it_is_this_close_s(closed_db, key_pair,
                                                                                         tmp_path, cli):
    # Part of a set, record.json.minisig among the missing (copied in part, or left by an older
    # version's close): completed when every file there is what this close makes, else refused.
    key, pub = key_pair
    out = tmp_path / "out"
    close(closed_db, key, out)
    whole = set_files(out)
    for name in ("record.json.minisig", "minutes.pdf", "minutes.pdf.minisig"):
        (out / name).unlink()
    kept = {p.name: p.stat().st_ino for p in out.iterdir()}
    done = cli("close", "--db", closed_db, "--key", key, "--out", out)
    assert done.exit_code == 0, done.output
    assert [line.strip() for line in done.stdout.splitlines() if "wrote" in line] == \
        [f"wrote {out / n}" for n in ("minutes.pdf", "minutes.pdf.minisig", "record.json.minisig")]
    assert set_files(out) == whole
    assert {n: i for n, i in ((p.name, p.stat().st_ino) for p in out.iterdir()) if n in kept} == kept
    assert verify_folder(out, pub, closed_db).holds

    (out / "record.json.minisig").unlink()
    (out / "declaration.md").write_bytes(whole["declaration.md"].replace(b"Test", b"Tset"))
    left = set_files(out)
    done = cli("close", "--db", closed_db, "--key", key, "--out", out)
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert lines == [f"near-tui: {out / 'declaration.md'}: a file of the signed set is already there, not the "
                     "one this close makes, and record.json.minisig is missing — move the folder's 1 such file(s) "
                     "aside, then close again; nothing is written over a signed file"]
    assert set_files(out) == left and not closing_folder.staging_folder(out).exists()


def test_an_interrupted_close_after_a_reopening_leaves_the_first_set_byte_identical(closed_db, key_pair, tmp_path,
                                                                                   monkeypatch):
    key, pub = key_pair
    out = tmp_path / "out"
    close(closed_db, key, out)
    first = set_files(out)
    session = Session.open(closed_db, clock=FixedClock("2018-10-29T11:00:00"))
    session.reopen_session("a late letter")
    session.close_log()
    with monkeypatch.context() as patch:
        crash_after(patch, closing_folder, "write_atomic", 7)
        with pytest.raises(Crash):
            close(closed_db, key, out)
    assert set_files(out) == first
    again = out / "reopened-1"
    assert not again.exists()
    assert "a close was interrupted" in only_problem(verify_folder(again, pub, closed_db))
    # The first set is still what it was: signatures hold, the log goes on past it.
    found = verify_folder(out, pub, closed_db)
    assert any("record.json: signature holds" in line for line in found.ok)
    assert [p for p in found.problems if "interrupted" in p or "writing" in p] == []
    assert any("the log continues after the signed close" in p for p in found.problems)
    written = close(closed_db, key, out)
    assert written.fresh and written.folder == again
    assert set_files(out) == first
    assert sorted(set_files(again)) == sorted(SET)
    assert verify_folder(again, pub, closed_db).holds


def test_closing_again_restores_a_lost_file_only_with_the_signed_bytes(closed_db, key_pair, tmp_path, cli,
                                                                       monkeypatch):
    key, pub = key_pair
    out = tmp_path / "out"
    close(closed_db, key, out)
    first = set_files(out)
    # A rendering that gives other bytes for minutes.pdf (a newer PDF library, say).
    real = closing.render_closed

    def other_minutes_pdf(events):
        made = real(events)
        made.files["minutes.pdf"] += b"%% another rendering\n"
        return made
    monkeypatch.setattr(closing, "render_closed", other_minutes_pdf)
    # declaration.md comes out as signed: its signature, still there, is the same bytes as the one
    # made now. minutes.pdf lost beside its signature stays lost (said), as its bytes now differ; a
    # PDF lost with its signature is made anew, with a new signature.
    for name in ("declaration.md", "minutes.pdf", "declaration.pdf", "declaration.pdf.minisig"):
        (out / name).unlink()
    done = cli("close", "--db", closed_db, "--key", key, "--out", out)
    assert done.exit_code == 0, done.output
    wrote = [line.split("wrote ", 1)[1] for line in done.stdout.splitlines() if "wrote " in line]
    assert wrote == [str(out / n) for n in ("declaration.md", "declaration.pdf", "declaration.pdf.minisig")]
    assert f"{out / 'minutes.pdf'}: missing, and its signature beside it is of bytes a new rendering does not " \
           "give — copy it back from a copy of the folder" in done.stderr
    now = set_files(out)
    assert now["declaration.md"] == first["declaration.md"] and "minutes.pdf" not in now
    assert {n: b for n, b in now.items() if not n.startswith("declaration.pdf")} == \
        {n: b for n, b in first.items() if not n.startswith("declaration.pdf") and n != "minutes.pdf"}
    found = verify_folder(out, pub, closed_db)
    assert found.problems == ["minutes.pdf: missing — copy it back from the folder the session was closed into"]
    assert "declaration.pdf: signature holds" in " ".join(found.ok)
