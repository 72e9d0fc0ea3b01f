"""Witnesses: signed checkpoints kept by anyone who watched the board, checked against a record.

The board publishes every signed checkpoint as the clerk makes it (``GET /checkpoints``, and a
``checkpoint`` event in ``/events``). Whoever keeps them holds what the log's chain head was at
each vote close, signed by the Secretariat's key, from outside the Secretariat's reach. Someone
who later rewrites the log and signs it again with the same key (a new declaration, new
checkpoints) cannot change those copies: ``near-tui verify --witness FILE…`` finds the record
contradicting them, one line per contradiction.

A witness file is the JSON ``GET /checkpoints`` answers (a list), one of its entries (an object),
or several such files. Each entry: ``{"seq": N, "checkpoint": TEXT, "signature": TEXT}``, the
checkpoint file's text and its ``.minisig`` file's text (``SessionLog.read_checkpoints``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import minisign

from near_tui.core import events as ev
from near_tui.core.errors import InputError
from near_tui.inputs.yaml_lines import read_text

from . import signing
from .checkpoints import FOLDER, FORMAT, file_name
from .findings import Findings


def load_witness(path: Path) -> list[dict[str, Any]]:
    """The checkpoints a witness file keeps; ``InputError`` (one line) for a file that is not one.

    Read as every input file is (``read_text``): only a regular file, opened without blocking, so
    a named pipe or a device given as the witness is refused at once instead of hanging ``verify``.
    Its size bound (5 MB) holds thousands of checkpoints; a session makes a few dozen.
    """
    where = str(path)
    text = read_text(path)
    try:
        doc = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(where, line, "not JSON — save the board's /checkpoints as it is "
                                      "(e.g. curl -o kept.json http://BOARD/checkpoints)") from None
    entries = doc if isinstance(doc, list) else [doc]
    for number, entry in enumerate(entries, start=1):
        if not (isinstance(entry, dict) and isinstance(entry.get("seq"), int)
                and isinstance(entry.get("checkpoint"), str) and isinstance(entry.get("signature"), str)):
            raise InputError(where, None, f"entry {number} is not a checkpoint kept from the board "
                                          "(seq, checkpoint, signature) — give the file saved from /checkpoints")
    return entries


def check_witnesses(files: list[Path], public: minisign.PublicKey, events: list[ev.Event] | None,
                    kept_here: dict[int, str], record: dict[str, Any] | None, found: Findings) -> None:
    """Compare every checkpoint kept in ``files`` with the record; a line in ``found`` for each that
    the record contradicts.

    The record's chain heads come from the log (``events``, with ``--db``), else from the record
    folder's own checkpoints whose signatures hold (``kept_here``: seq -> chain head) and the
    signed ``record.json`` (its last event).
    """
    heads = dict(kept_here)
    session_id = record["session"]["id"] if record is not None else None
    if record is not None:
        heads.setdefault(record["log"]["events"], record["log"]["chain_head"])
    last = events[-1].seq if events else None
    by_seq = {e.seq: e for e in events} if events is not None else {}
    held = compared = 0
    for path in files:
        for entry in load_witness(path):
            seq = entry["seq"]
            where = f"witness {path}: checkpoint at event {seq}"
            body, problem = _open(public, entry)
            if problem is not None:
                found.problems.append(f"{where}: {problem}")
                continue
            held += 1
            if session_id is not None and body["session"] != session_id:
                found.problems.append(f"{where}: kept for session {body['session']!r}, not {session_id!r} — "
                                      "a witness of another session")
                continue
            kept = body["chain_head"]
            if events is not None:
                event = by_seq.get(seq)
                if event is None:
                    found.problems.append(f"{where}: the record's log ends at event {last}, but the board "
                                          f"published event {seq} — events were removed after it was published")
                    continue
                if event.hash != kept:
                    found.problems.append(f"{where}: published with chain head {kept[:16]}…, the record's log has "
                                          f"{event.hash[:16]}… — the log was rewritten at or before event {seq} "
                                          "after the board published it")
                    continue
                compared += 1
                continue
            mine = heads.get(seq)
            if mine is None:
                continue  # nothing in the folder speaks of this event: give --db to compare
            compared += 1
            if mine != kept:
                compared -= 1
                found.problems.append(f"{where}: published with chain head {kept[:16]}…, the record says "
                                      f"{mine[:16]}… — the record was rewritten at or before event {seq} after "
                                      "the board published it")
    if held and compared == held:
        found.ok.append(f"witnesses: the record agrees with all {held} kept checkpoint(s)")
    elif held and events is None:
        found.ok.append(f"witnesses: {compared} of {held} kept checkpoint(s) compared with the folder; "
                        "give --db to compare the others with the log")


def _open(public: minisign.PublicKey, entry: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The kept checkpoint's body if its signature holds and it says what its signature says."""
    data = entry["checkpoint"].encode("utf-8")
    try:
        comment = signing.check(public, data, entry["signature"].encode("utf-8"))
    except (minisign.Error, ValueError) as exc:
        return None, (f"its signature does not hold ({exc}) — not signed with this public key, or changed "
                      "since it was kept")
    fields = signing.parse_trusted_comment(comment)
    try:
        body = json.loads(data)
        signed = (body["format"], body["session"], body["seq"], body["chain_head"])
    except (ValueError, KeyError, TypeError):
        return None, "signed, but not a near-tui checkpoint"
    seq = entry["seq"]
    if signed != (FORMAT, fields.get("session"), seq, fields.get("chain_head")) \
            or fields.get("file") != f"{FOLDER}/{file_name(seq)}":
        return None, "its content differs from its signature's trusted comment or its number"
    return body, None
