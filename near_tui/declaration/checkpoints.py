"""Signed checkpoints of the chain head, one at every vote close, beside the declaration.

When the clerk holds the session's signing key, each vote close writes
``<declaration folder>/checkpoints/<seq>.json`` (the session, the close event's sequence
number and its hash, which commits to every event before it) and its minisign signature
``<seq>.json.minisig``. ``verify`` and ``audit`` then compare every checkpoint with the log:
a rewrite of the log before a checkpoint (even one that re-hashes the whole chain and keeps
every rule) changes the hash at the checkpoint's event and is caught, from the first
closed vote on, long before the declaration is signed.

Writing a checkpoint never stops a vote: the close is already committed when the hook runs;
a failure is logged and reported (``on_problem``), and the vote stands.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import minisign

from near_tui.core import events as ev
from near_tui.core.errors import InputError

from . import signing
from .atomic_files import write_atomic
from .findings import Findings

if TYPE_CHECKING:
    from near_tui.service.session import Session


FOLDER = "checkpoints"
FORMAT = "near-tui/checkpoint/1"

log = logging.getLogger(__name__)


def checkpoint_folder(declaration_folder: str | Path) -> Path:
    return Path(declaration_folder) / FOLDER


def checkpoint_bytes(session_id: str, event: ev.Event) -> bytes:
    """The signed text: small, canonical JSON (one line), so the same close always gives the same bytes."""
    body = {"format": FORMAT, "session": session_id, "seq": event.seq, "chain_head": event.hash,
            "item_id": event.payload.get("item_id"), "recorded_at": event.recorded_at}
    return (ev.canonical_json(body) + "\n").encode("utf-8")


def file_name(seq: int) -> str:
    return f"{seq}.json"


def signed_checkpoint(secret: minisign.SecretKey, session_id: str, event: ev.Event) -> tuple[bytes, bytes]:
    """One checkpoint's bytes and its ``.minisig`` signature's bytes."""
    data = checkpoint_bytes(session_id, event)
    comment = signing.trusted_comment(session_id, event.hash, event.seq, f"{FOLDER}/{file_name(event.seq)}")
    return data, signing.sign(secret, data, comment)


def write_checkpoint(folder: Path, secret: minisign.SecretKey, session_id: str, event: ev.Event) -> Path:
    """Write one checkpoint and its signature (the signature last, beside the file it signs)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name(event.seq)
    data, signature = signed_checkpoint(secret, session_id, event)
    write_atomic(folder / name, data)
    write_atomic(folder / (name + signing.SIG_SUFFIX), signature)
    return folder / name


class Checkpointer:
    """A Session after-commit hook: signs a checkpoint for every vote close it sees.

    Closes this clerk recorded and closes folded in from another seat alike. Never raises.
    """

    def __init__(self, secret: minisign.SecretKey, folder: str | Path,
                 on_problem: Callable[[str], None] | None = None) -> None:
        self.secret = secret
        self.folder = Path(folder)
        self.on_problem = on_problem
        self.written: list[Path] = []

    def __call__(self, session: Session, events: list[ev.Event]) -> None:
        closes = [e for e in events if e.kind == ev.VOTE_CLOSED]
        if not closes:
            return
        session_id = session.state.definition.session.id
        for close in closes:
            try:
                path = write_checkpoint(self.folder, self.secret, session_id, close)
                self.written.append(path)
            except Exception as exc:  # noqa: BLE001 — the vote is closed and stays closed
                log.exception("checkpoint %s not written", close.seq)
                if self.on_problem is not None:
                    reason = getattr(exc, "strerror", None) or exc
                    self.on_problem(f"The vote on item {close.payload.get('item_id')} is closed, but its signed "
                                    f"checkpoint could not be written to {self.folder} ({reason}).")
                continue
            try:
                # Kept in the log as well, for the board to publish to its viewers (the witnesses).
                session.log.keep_checkpoint(close.seq, path.read_text(encoding="utf-8"),
                                            path.with_name(path.name + signing.SIG_SUFFIX).read_text(encoding="utf-8"))
            except Exception as exc:  # noqa: BLE001 — the checkpoint stands beside the declaration
                log.warning("checkpoint %s not kept in the log: %s", close.seq, exc)
                if self.on_problem is not None:
                    self.on_problem(f"The signed checkpoint of item {close.payload.get('item_id')} is written, "
                                    f"but not kept in the session database for the board ({exc}).")

    def close(self) -> None:
        self.secret.wipe()


# What a checkpoints/ folder holds: N.json and N.json.minisig, N an event number in ASCII digits.
NAME = re.compile(r"([0-9]+)\.json(\.minisig)?")
MAX_ENTRY_BYTES = 64 * 1024  # a checkpoint is one short line; its signature four


def list_checkpoints(folder: Path) -> list[tuple[int, Path]]:
    """The checkpoints in ``folder``, by event number; ``InputError`` (one line) for an entry that is
    not one. Hidden files (a desktop's own) are passed over."""
    found = []
    with os.scandir(folder) as listing:
        names = sorted(entry.name for entry in listing)
    for name in names:
        if name.startswith("."):
            continue
        match = NAME.fullmatch(name)
        if match is None:
            raise InputError(str(folder / name), None, "not a checkpoint (they are named EVENT.json and "
                                                       "EVENT.json.minisig) — move it out of the checkpoints folder")
        if match.group(2) is None:
            found.append((int(match.group(1)), folder / name))
    return sorted(found)


def read_entry(path: Path) -> bytes:
    """A checkpoint or signature file's bytes, checked on the open handle: never a FIFO or a device
    (opened without blocking, so a FIFO cannot hang the check), never a folder, never a huge file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read it ({exc.strerror}) — check the checkpoints folder") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else "not a regular file"
            raise InputError(str(path), None, f"is {what}, not a checkpoint file — move it out of the checkpoints folder")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_ENTRY_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_ENTRY_BYTES:
        raise InputError(str(path), None, "far too large for a checkpoint — move it out of the checkpoints folder")
    return data


def check_checkpoints(folder: Path, public: minisign.PublicKey, events: list[ev.Event] | None,
                      session_id: str | None, found: Findings) -> list[int]:
    """Check every checkpoint in ``folder``: its signature, its session and, with ``events``, the log.

    With the log, also: every vote close from the first checkpointed one on must have its
    checkpoint (removing the last checkpoints would otherwise hide a rewrite after them).
    Returns the sequence numbers of the checkpoints that hold.
    """
    entries = list_checkpoints(folder) if folder.is_dir() else []
    by_seq = {e.seq: e for e in events} if events is not None else {}
    good: list[int] = []
    for seq, path in entries:
        where = f"checkpoint {FOLDER}/{path.name}"
        sig_path = path.with_name(path.name + signing.SIG_SUFFIX)
        data = read_entry(path)
        if not os.path.lexists(sig_path):
            found.problems.append(f"{where}: its signature {sig_path.name} is missing")
            continue
        try:
            comment = signing.check(public, data, read_entry(sig_path))
        except minisign.Error as exc:
            found.problems.append(f"{where}: signature does not hold ({exc}) — the file or its signature "
                                  "was changed, or another key signed it")
            continue
        fields = signing.parse_trusted_comment(comment)
        try:
            body = json.loads(data)
            signed = (body["format"], body["session"], body["seq"], body["chain_head"])
        except (ValueError, KeyError, TypeError):
            found.problems.append(f"{where}: signed, but not a near-tui checkpoint")
            continue
        if signed != (FORMAT, fields.get("session"), seq, fields.get("chain_head")) \
                or fields.get("events") != str(seq) or fields.get("file") != f"{FOLDER}/{path.name}":
            found.problems.append(f"{where}: its content differs from its signature's trusted comment or its name")
            continue
        if session_id is not None and body["session"] != session_id:
            found.problems.append(f"{where}: signed for session {body['session']!r}, not {session_id!r}")
            continue
        if events is None:
            good.append(seq)
            continue
        event = by_seq.get(seq)
        if event is None:
            last = events[-1].seq if events else 0
            found.problems.append(f"{where}: the log ends at event {last}, but event {seq} was signed — "
                                  "events were removed from the log")
        elif event.hash != body["chain_head"]:
            found.problems.append(f"{where}: event {seq} in the log has chain head {event.hash[:16]}…, the signed "
                                  f"checkpoint {body['chain_head'][:16]}… — the log was rewritten at or before "
                                  f"event {seq}")
        elif event.kind != ev.VOTE_CLOSED:
            found.problems.append(f"{where}: event {seq} is a {event.kind}, not the vote close that was signed")
        else:
            good.append(seq)
    if events is not None:
        closes = [e for e in events if e.kind == ev.VOTE_CLOSED]
        signed = {seq for seq, _ in entries}
        if closes and not entries:
            found.problems.append(f"checkpoints: none in {folder}, though the log has {len(closes)} vote close(s)")
        elif entries:
            first = min(signed)
            missing = [e for e in closes if e.seq >= first and e.seq not in signed]
            for close in missing:
                found.problems.append(f"checkpoints: the vote close at event {close.seq} (item "
                                      f"{close.payload.get('item_id')}) has no checkpoint, though an earlier one "
                                      "has — signed without the key, or removed")
            before = [e for e in closes if e.seq < first]
            if before:
                found.ok.append(f"checkpoints: {len(before)} vote close(s) before the first checkpoint "
                                f"(event {first}) have none")
    if good:
        what = "against the log" if events is not None else "(signatures only; give the database to compare)"
        found.ok.append(f"checkpoints: {len(good)} hold {what}, the last at event {max(good)}")
    return good
