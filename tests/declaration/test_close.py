"""near-tui keygen and close: keys minisign accepts, files it verifies, a close that happens once."""

from __future__ import annotations

import base64
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from near_tui.core import events as ev
from near_tui.core.errors import InputError, RuleError
from near_tui.declaration import keys
from near_tui.declaration.closing import close_and_write
from near_tui.declaration.signing import key_id

SIGNED = ("declaration.md", "record.json", "declaration.pdf")


def minisign_verify(path: Path, pub: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["minisign", "-Vm", str(path), "-p", str(pub)], capture_output=True, text=True)


def test_minisign_verifies_the_closed_files_and_shows_the_chain_head(ga12_closed):
    head = ga12_closed.session.state.head
    for name in SIGNED:
        done = minisign_verify(ga12_closed.out / name, ga12_closed.pub)
        assert done.returncode == 0, done.stderr
        assert f"chain_head:{head}" in done.stdout
        assert "session:ga12-2018" in done.stdout


def test_minisign_rejects_a_file_changed_after_close(ga12_closed):
    path = ga12_closed.out / "declaration.md"
    signed = path.read_bytes()
    assert b"78 members from six countries" in signed
    path.write_bytes(signed.replace(b"78 members from six countries", b"79 members from 6 countries"))
    assert minisign_verify(path, ga12_closed.pub).returncode != 0


def test_close_writes_every_file_and_closes_the_log_once(ga12_closed, key_pair):
    names = sorted(p.name for p in ga12_closed.out.iterdir())
    # The sample is held in English and Chinese: a declaration in each (docs/languages.md).
    assert names == sorted(["declaration.md", "declaration.pdf", "record.json", "record.csv",
                            "minutes.md", "minutes.pdf", "declaration.zh.md", "declaration.zh.pdf",
                            "declaration.md.minisig", "record.json.minisig", "declaration.pdf.minisig",
                            "minutes.md.minisig", "minutes.pdf.minisig", "record.csv.minisig",
                            "declaration.zh.md.minisig", "declaration.zh.pdf.minisig"])
    session = ga12_closed.session
    events = session.log.read_events()
    assert events[-1].kind == ev.SESSION_CLOSED
    before = {n: (ga12_closed.out / n).read_bytes() for n in names}
    # Closing again (e.g. after a crash, or once the clerk screen closed it) appends nothing...
    close_and_write(session, ga12_closed.key, ga12_closed.out)
    assert session.log.read_events() == events
    # ...and rewrites the same declaration, record and signatures.
    for name in ("declaration.md", "record.json", "record.csv", "minutes.md", "declaration.md.minisig",
                 "record.json.minisig", "minutes.md.minisig", "record.csv.minisig", "declaration.zh.md",
                 "declaration.zh.md.minisig"):
        assert (ga12_closed.out / name).read_bytes() == before[name]
    assert not [p for p in ga12_closed.out.iterdir() if p.name.endswith(".tmp")]


def test_after_close_only_a_reopen_is_accepted(ga12_closed):
    session = ga12_closed.session
    with pytest.raises(RuleError, match="closed"):
        session.set_attendance("cn-anhui", "in_person")
    session.reopen_session("late letter")
    session.set_attendance("cn-anhui", "in_person")


def test_close_refuses_while_a_vote_is_open_and_writes_nothing(ga12_present, key_pair, tmp_path):
    ga12_present.open_vote("2")
    with pytest.raises(RuleError, match="still open"):
        close_and_write(ga12_present, key_pair[0], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not ga12_present.state.closed


def test_cli_close_writes_to_sessions_by_default(ga12_replayed, db_path, key_pair, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = cli("close", "--db", db_path, "--key", key_pair[0])
    assert done.exit_code == 0, done.output
    assert "session ga12-2018 closed" in done.output
    folder = tmp_path / "sessions" / "ga12-2018"
    assert (folder / "declaration.md").is_file() and (folder / "record.json.minisig").is_file()
    again = cli("close", "--db", db_path, "--key", key_pair[0])
    assert again.exit_code == 0 and "was already closed" in again.output


def test_keygen_writes_a_private_key_and_prints_the_public_one(cli, tmp_path):
    key = tmp_path / "clerk.key"
    done = cli("keygen", "--out", key)
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    pub_line = (tmp_path / "clerk.key.pub").read_text().splitlines()[1]
    assert pub_line in done.output
    # minisign itself signs with it (the unencrypted format of `minisign -G -W`).
    target = tmp_path / "note.txt"
    target.write_text("hello\n")
    signed = subprocess.run(["minisign", "-S", "-W", "-s", str(key), "-m", str(target)], capture_output=True, text=True)
    assert signed.returncode == 0, signed.stderr
    assert minisign_verify(target, tmp_path / "clerk.key.pub").returncode == 0
    # The key id: minisign names it when a signature by another key is checked against this one,
    # and the public key file and keygen's output give it the same way (verify prints it so too).
    other = cli("keygen", "--out", tmp_path / "other.key")
    assert other.exit_code == 0, other.output
    subprocess.run(["minisign", "-S", "-s", str(tmp_path / "other.key"), "-m", str(target)], check=True,
                   capture_output=True, stdin=subprocess.DEVNULL)
    said = minisign_verify(target, tmp_path / "clerk.key.pub")
    # minisign prints a key id without leading zeros: 15 digits or fewer for one key in sixteen.
    ours = re.search(r"key id in the public key is ([0-9A-F]{1,16})\b", said.stdout + said.stderr).group(1)
    theirs = re.search(r"Signature key id in \S+ is ([0-9A-F]{1,16})\b", said.stdout + said.stderr).group(1)
    assert f"public key: {tmp_path / 'clerk.key.pub'} (key id {ours}, " in done.output
    assert (tmp_path / "clerk.key.pub").read_text().splitlines()[0] == f"untrusted comment: minisign public key {ours}"
    assert (tmp_path / "other.key.pub").read_text().splitlines()[0] == f"untrusted comment: minisign public key {theirs}"
    refused = cli("keygen", "--out", key)
    assert refused.exit_code == 2 and "already exists" in refused.output


@pytest.mark.parametrize("number", [0x064C2C6FF4E97720, 0x00000000000000AB, 0xB8A6A81F6B704150])
def test_a_key_id_is_printed_as_minisign_prints_it(cli, tmp_path, number):
    # A public key with a chosen key id (zeros leading or not), and minisign's own words for it: it
    # names the id when a signature by another key is checked against this public key.
    raw_id = number.to_bytes(8, "little")
    pub = tmp_path / "chosen.pub"
    pub.write_text("untrusted comment: chosen id\n"
                   + base64.standard_b64encode(b"Ed" + raw_id + bytes(range(32))).decode() + "\n")
    signer = tmp_path / "other.key"
    assert cli("keygen", "--out", signer).exit_code == 0
    target = tmp_path / "note.txt"
    target.write_text("hello\n")
    subprocess.run(["minisign", "-S", "-s", str(signer), "-m", str(target)], check=True, capture_output=True,
                   stdin=subprocess.DEVNULL)
    said = minisign_verify(target, pub)
    printed = re.search(r"key id in the public key is ([0-9A-F]+)\b", said.stdout + said.stderr).group(1)
    assert key_id(raw_id) == printed


def test_keygen_makes_a_private_folder_for_the_key(cli, tmp_path):
    key = tmp_path / "keys" / "ga12.key"
    done = cli("keygen", "--out", key)
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(os.stat(key.parent).st_mode) == 0o700
    assert key.exists() and (tmp_path / "keys" / "ga12.key.pub").exists()


def test_keygen_with_a_passphrase_read_from_a_pipe(cli, tmp_path):
    key = tmp_path / "locked.key"
    done = cli("keygen", "--out", key, "--passphrase-prompt", input="correct horse\n")
    assert done.exit_code == 0, done.output
    assert "passphrase-protected" in done.output
    assert keys.is_protected(keys.read_secret_key(key))
    with pytest.raises(InputError, match="wrong passphrase"):
        keys.load_signing_key(key, "wrong")
    empty = cli("keygen", "--out", tmp_path / "other.key", "--passphrase-prompt", input="")
    assert empty.exit_code == 2 and "empty passphrase" in empty.output
    assert not (tmp_path / "other.key").exists()


def test_a_wrong_passphrase_leaves_the_session_open(ga12_replayed, db_path, cli, tmp_path):
    key = tmp_path / "locked.key"
    keys.generate(key, passphrase="s3cret")
    out = tmp_path / "out"
    wrong = cli("close", "--db", db_path, "--key", key, "--out", out, input="nope\n")
    assert wrong.exit_code == 2 and "wrong passphrase" in wrong.output
    ga12_replayed.refresh()
    assert not ga12_replayed.state.closed and not out.exists()
    right = cli("close", "--db", db_path, "--key", key, "--out", out, input="s3cret\n")
    assert right.exit_code == 0, right.output
    # minisign checks the signature made with the scrypt-protected key.
    assert minisign_verify(out / "declaration.md", key.with_name("locked.key.pub")).returncode == 0


def test_close_with_a_missing_key_is_one_line(ga12_replayed, db_path, cli, tmp_path):
    done = cli("close", "--db", db_path, "--key", tmp_path / "none.key")
    assert done.exit_code == 2
    assert "no such key file" in done.output and "Traceback" not in done.output
    ga12_replayed.refresh()
    assert not ga12_replayed.state.closed


def test_an_unwritable_folder_is_one_line_and_a_second_close_recovers(ga12_replayed, db_path, key_pair, cli, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the folder should be")
    failed = cli("close", "--db", db_path, "--key", key_pair[0], "--out", blocker / "ga12")
    assert failed.exit_code == 2
    assert "cannot write the declaration" in failed.output and "Traceback" not in failed.output
    # The close event is on record; closing again writes the files without a second event.
    ga12_replayed.refresh()
    events = ga12_replayed.log.read_events()
    assert events[-1].kind == ev.SESSION_CLOSED
    done = cli("close", "--db", db_path, "--key", key_pair[0], "--out", tmp_path / "ga12")
    assert done.exit_code == 0 and "was already closed" in done.output
    assert ga12_replayed.log.read_events() == events
    assert minisign_verify(tmp_path / "ga12" / "record.json", key_pair[1]).returncode == 0


def test_close_with_a_name_no_font_can_print_records_nothing(tmp_path, key_pair, monkeypatch):
    from near_tui.declaration import pdf_fonts
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.session import Session
    from support import member, write_agenda

    members = [member("m1"), {**member("m2"), "name": "Egypt \U00013000"}]
    agenda = write_agenda(tmp_path, members, [{"id": "1", "title": "Report", "kind": "report"}])
    session = Session.create(load_agenda(agenda), str(tmp_path / "s.sqlite"))
    session.set_attendance("m2", "in_person")
    before = session.log.head_seq()
    with pytest.raises(pdf_fonts.MissingGlyph, match="U\\+13000"):
        close_and_write(session, key_pair[0], tmp_path / "out")
    assert session.log.head_seq() == before and not session.state.closed
    assert not (tmp_path / "out").exists()
    session.close_log()
