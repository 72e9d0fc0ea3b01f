"""verify on the slips and forgeries a Secretariat meets: files forged and signed with another key, a
signature swapped in from another file, one event deleted from the log."""

from __future__ import annotations

import shutil
import subprocess

from near_tui.declaration import keys, signing

from .test_verify import copy_db


def verify(cli, closed, *extra, folder=None):
    return cli("verify", folder or closed.out, "--pub", closed.pub, *extra)


def fails(done) -> list[str]:
    return [line for line in done.output.splitlines() if line.startswith("FAIL")]


def test_a_forged_file_signed_with_another_key_is_never_called_signed(ga12_closed, cli, tmp_path):
    keys.generate(tmp_path / "forger.key")
    secret = keys.load_signing_key(tmp_path / "forger.key")
    path = ga12_closed.out / "minutes.md"
    forged = path.read_bytes().replace(b"Yes 49", b"Yes 48")
    assert forged != path.read_bytes()
    path.write_bytes(forged)
    (ga12_closed.out / "minutes.md.minisig").write_bytes(signing.sign(secret, forged, "near-tui forged"))
    done = verify(cli, ga12_closed, "--db", ga12_closed.db)
    assert done.exit_code == 1
    out = done.output
    assert "FAIL  minutes.md: signed by another key (key id " in out
    assert "nothing can be concluded about its content" in out
    # The two sides of the difference: the file found in the folder, and the log's.
    changed = [line for line in out.splitlines() if "Yes 48" in line]
    assert changed and all(": file:   " in line for line in changed), changed
    assert not any("signed:" in line for line in out.splitlines() if "minutes.md:" in line)


def test_a_signature_swapped_in_from_another_file_is_named(ga12_closed, cli):
    shutil.copy(ga12_closed.out / "minutes.md.minisig", ga12_closed.out / "declaration.md.minisig")
    done = verify(cli, ga12_closed)
    assert done.exit_code == 1
    assert fails(done) == ["FAIL  declaration.md: declaration.md.minisig is the signature of minutes.md, not of "
                           "this file (swapped in) — take declaration.md.minisig from the folder the session was "
                           "closed into"]
    assert "content changed" not in done.output


def test_one_deleted_event_gives_the_first_break_and_a_count(ga12_closed, cli, tmp_path):
    import sqlite3

    path = copy_db(ga12_closed.db, tmp_path / "doctored.sqlite")
    conn = sqlite3.connect(path)
    total = conn.execute("SELECT count(*) FROM near_events").fetchone()[0]
    seq = conn.execute("SELECT seq FROM near_events WHERE kind = 'letter_recorded' ORDER BY seq LIMIT 1").fetchone()[0]
    with conn:
        conn.execute("DELETE FROM near_events WHERE seq = ?", (seq,))
    conn.close()
    done = verify(cli, ga12_closed, "--db", path)
    assert done.exit_code == 1
    log_lines = [line for line in fails(done) if line.startswith("FAIL  log:")]
    assert log_lines[0] == (f"FAIL  log: event {seq + 1}: expected sequence number {seq} "
                            "(an event is missing or inserted)")
    # Every event after the deleted one is out of place: total - seq of them, the first named above.
    later = total - seq - 1
    assert log_lines[1] == (f"FAIL  log: {later} later events do not follow on from it either (the break "
                            "carries through the chain)")
    # A break and a count, then what differs in each rebuilt file: not a line per event.
    assert len(fails(done)) <= 12, fails(done)


def test_files_forged_and_resigned_with_minisign_and_another_key(ga12_closed, cli, tmp_path):
    """A forger edits the minutes and signs every file again with a key of their own, made with
    near-tui keygen, using the minisign tool and the very trusted comments of the real close."""
    forger = tmp_path / "forger.key"
    assert cli("keygen", "--out", forger).exit_code == 0
    minutes = ga12_closed.out / "minutes.md"
    minutes.write_bytes(minutes.read_bytes().replace(b"Yes 49", b"Yes 48"))
    signatures = sorted(ga12_closed.out.glob("*.minisig"))
    assert len(signatures) >= 6
    for signature in signatures:
        comment = signature.read_text().splitlines()[2].removeprefix("trusted comment: ")
        subprocess.run(["minisign", "-S", "-s", str(forger), "-m", str(signature.with_suffix("")), "-t", comment,
                        "-x", str(signature)], check=True, capture_output=True, stdin=subprocess.DEVNULL)

    def key_id(pub):  # as the public key file names it
        return pub.read_text().splitlines()[0].removeprefix("untrusted comment: minisign public key ")

    done = verify(cli, ga12_closed, "--db", ga12_closed.db)
    assert done.exit_code == 1
    assert fails(done) == [
        f"FAIL  signatures: every file is signed by another key (key id {key_id(forger.with_name('forger.key.pub'))}), "
        f"not the one given (key id {key_id(ga12_closed.pub)}) — nothing can be concluded about their content; "
        "check them with the public key of the key that closed this session",
        f"FAIL  {ga12_closed.db}: the log was checked on its own, not against the files, as no signature "
        "holds to say which close they match — pass the right public key, or restore the signed files",
    ]
    # Nothing is called signed, changed or the same: the forged minutes are not compared at all.
    assert "Yes 48" not in done.output and "content changed" not in done.output
