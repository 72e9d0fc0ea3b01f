"""Check a closed session's folder: its signatures and, given the database, the log behind them.

Without the database: each signed file must match its signature, the trusted
comments must name one session and one chain head, and ``record.csv`` must
match the digest the signed ``record.json`` gives for it.

With the database, also: the hash chain must hold from the first event; the
event carrying the signed chain head must be there; every event up to it must
be one the session's rules allow at that point; and ``record.json`` and
``declaration.md`` rebuilt from those events must equal the signed ones byte
for byte. Events after the signed head (a later reopen) are reported, and
must themselves follow the rules.

The folder's ``checkpoints/`` (signed at each vote close, see ``checkpoints``) are
checked too: their signatures always, their chain heads against the log with the
database. ``check_events`` (chain and rules) is also what ``near-tui audit`` runs.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import minisign

from .. import events as ev
from ..errors import NearError, RuleError
from ..session_log import SessionLog
from ..state import SessionState
from . import checkpoints, keys, signing
from .closing import DECLARATION_MD, RECORD_CSV, RECORD_JSON, SIGNED
from .declaration_text import declaration_markdown, state_of
from .record import build_record, record_json

MAX_DIFF_LINES = 20


@dataclass
class Findings:
    """What held (``ok``) and what did not (``problems``), one sentence each."""

    ok: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.problems


def verify_folder(folder: str | Path, pub_path: str | Path, db: str | None = None) -> Findings:
    """Check a closed session's FOLDER; with ``db``, the log behind it (and its checkpoints, if any)."""
    folder = Path(folder)
    public = keys.load_public_key(Path(pub_path))
    found = Findings()
    comments: dict[str, dict[str, str]] = {}
    contents: dict[str, bytes] = {}
    for name in SIGNED:
        path, sig_path = folder / name, folder / (name + signing.SIG_SUFFIX)
        if not path.is_file():
            found.problems.append(f"{name}: missing")
            continue
        contents[name] = path.read_bytes()
        if not sig_path.is_file():
            found.problems.append(f"{name}: its signature {sig_path.name} is missing")
            continue
        try:
            comment = signing.check(public, contents[name], sig_path.read_bytes())
        except minisign.Error as exc:
            found.problems.append(f"{name}: signature does not hold ({exc}) — the file or its signature was changed, or another key signed it")
            continue
        fields = signing.parse_trusted_comment(comment)
        comments[name] = fields
        found.ok.append(f"{name}: signature holds — {comment}")
        if fields.get("file") != name:
            found.problems.append(f"{name}: its signature was made for {fields.get('file')!r}, not for this file")

    heads = {(f.get("session"), f.get("chain_head"), f.get("events")) for f in comments.values()}
    if len(heads) > 1:
        found.problems.append("the signatures name different sessions or chain heads: "
                              + "; ".join(f"{n}: {f.get('session')} {f.get('chain_head')}" for n, f in comments.items()))
    record = _signed_record(contents, comments, found)
    if record is not None:
        _check_csv(folder, record, found)
    events = None
    if db is not None and record is not None:
        events = _check_log(db, record, contents, found)
    marks = checkpoints.checkpoint_folder(folder)
    if marks.is_dir():
        session_id = record["session"]["id"] if record is not None else None
        if db is None or events is not None:
            checkpoints.check_checkpoints(marks, public, events, session_id, found)
    return found


def _signed_record(contents, comments, found: Findings) -> dict[str, Any] | None:
    if RECORD_JSON not in comments:
        return None
    try:
        record = json.loads(contents[RECORD_JSON])
        log = record["log"]
        session_id = record["session"]["id"]
    except (ValueError, KeyError, TypeError):
        found.problems.append(f"{RECORD_JSON}: signed, but not a near-tui record")
        return None
    signed = comments[RECORD_JSON]
    if (signed.get("session"), signed.get("chain_head"), signed.get("events")) != \
            (session_id, log.get("chain_head"), str(log.get("events"))):
        found.problems.append(f"{RECORD_JSON}: its session or chain head differs from its signature's trusted comment")
    return record


def _check_csv(folder: Path, record: dict[str, Any], found: Findings) -> None:
    path = folder / RECORD_CSV
    want = record.get("files", {}).get(RECORD_CSV, {}).get("sha256")
    if not path.is_file():
        found.problems.append(f"{RECORD_CSV}: missing")
    elif hashlib.sha256(path.read_bytes()).hexdigest() != want:
        found.problems.append(f"{RECORD_CSV}: does not match the digest in the signed {RECORD_JSON} (changed)")
    else:
        found.ok.append(f"{RECORD_CSV}: matches the digest in the signed {RECORD_JSON}")


def read_log(db: str, found: Findings) -> list[ev.Event] | None:
    """Every event of ``db``, read-only; None (and the reason in ``found``) when a row cannot be read."""
    log = SessionLog(db, readonly=True)
    try:
        log.check_schema()
        return log.read_events()
    except NearError:
        raise
    except Exception as exc:  # a tampered row may not even parse
        found.problems.append(f"{db}: the log cannot be read ({exc})")
        return None
    finally:
        log.dispose()


def check_events(events: list[ev.Event], found: Findings) -> None:
    """The log on its own: the hash chain from the first event, and every event replayed under the rules.

    The one check of a log that ``verify --db`` and ``audit`` share.
    """
    chain = ev.chain_problems(events)
    found.problems.extend(f"log: {p}" for p in chain)
    if not chain:
        found.ok.append(f"log: hash chain holds over {len(events)} events")
    _check_rules(events, found)


def _check_log(db: str, record: dict[str, Any], contents: dict[str, bytes], found: Findings) -> list[ev.Event] | None:
    events = read_log(db, found)
    if events is None:
        return None
    check_events(events, found)

    head, count = record["log"]["chain_head"], record["log"]["events"]
    at = next((i for i, e in enumerate(events) if e.hash == head), None)
    if at is None:
        found.problems.append(f"log: no event carries the signed chain head {head[:16]}… — events up to the close were removed or altered")
        return events
    if events[at].seq != count or at + 1 != count:
        found.problems.append(f"log: the signed chain head is event {count} of the record but stands at position {at + 1} in the log (events removed or inserted)")
    signed_part, later = events[: at + 1], events[at + 1:]
    if later:
        first = later[0]
        found.ok.append(f"log: {len(later)} event(s) were recorded after the signed close, starting with {first.kind} (event {first.seq})")

    try:
        rebuilt = build_record(signed_part)
        again = {RECORD_JSON: record_json(rebuilt), DECLARATION_MD: declaration_markdown(rebuilt, state_of(signed_part))}
    except Exception as exc:
        found.problems.append(f"log: the record cannot be rebuilt from the log ({type(exc).__name__}: {exc})")
        return events
    for name, fresh in again.items():
        signed = contents.get(name)
        if signed is None:
            continue
        if signed == fresh:
            found.ok.append(f"{name}: identical to the one rebuilt from the log")
            continue
        found.problems.append(f"{name}: differs from the one rebuilt from the log:")
        found.problems.extend(_cap(_json_differences(signed, fresh) if name == RECORD_JSON
                                   else _line_differences(name, signed, fresh)))
    return events


def _check_rules(events: list[ev.Event], found: Findings) -> None:
    """Fold the log again, asking before each event whether the rules allowed it then."""
    state = SessionState()
    for event in events:
        try:
            state.check(event.kind, event.payload)
        except RuleError as exc:
            found.problems.append(f"log: event {event.seq} ({event.kind}) breaks the session's rules: {exc}")
        except Exception as exc:
            found.problems.append(f"log: event {event.seq} ({event.kind}) is malformed ({type(exc).__name__}: {exc})")
            return
        try:
            state.apply(event)
        except Exception as exc:
            found.problems.append(f"log: event {event.seq} ({event.kind}) cannot be applied ({type(exc).__name__}: {exc})")
            return


def _cap(lines: list[str]) -> list[str]:
    if len(lines) > MAX_DIFF_LINES:
        return lines[:MAX_DIFF_LINES] + [f"  … and {len(lines) - MAX_DIFF_LINES} more differences"]
    return lines


def _json_differences(signed: bytes, fresh: bytes) -> list[str]:
    """Each differing value by its path, e.g. ``items[2].roll_call.members[cn-henan].answer``."""
    try:
        a = json.loads(signed)
    except ValueError:
        return ["  the signed record.json is not valid JSON"]
    b = json.loads(fresh)
    out: list[str] = []
    _walk(a, b, "", out)
    return out


def _label(entry: Any, index: int) -> str:
    if isinstance(entry, dict):
        for key in ("id", "member_id", "seq", "code"):
            if key in entry:
                return str(entry[key])
    return str(index)


def _walk(a: Any, b: Any, path: str, out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        left, right = a, b
        name = (lambda key: f"{path}.{key}" if path else key)
    elif isinstance(a, list) and isinstance(b, list):
        # Lists are compared entry by entry under a stable label (an id where there is one).
        left = {_label(x, i): x for i, x in enumerate(a)}
        right = {_label(x, i): x for i, x in enumerate(b)}
        name = (lambda key: f"{path}[{key}]")
    else:
        if a != b:
            out.append(f"  {path}: signed {json.dumps(a, ensure_ascii=False)}, log {json.dumps(b, ensure_ascii=False)}")
        return
    for key in list(left) + [k for k in right if k not in left]:
        where = name(key)
        if key not in right:
            out.append(f"  {where}: only in the signed file")
        elif key not in left:
            out.append(f"  {where}: only in the log")
        else:
            _walk(left[key], right[key], where, out)


def _line_differences(name: str, signed: bytes, fresh: bytes) -> list[str]:
    """The changed lines, as ``signed:`` / ``log:`` pairs."""
    a = signed.decode("utf-8", "replace").splitlines()
    b = fresh.decode("utf-8", "replace").splitlines()
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for line_no in range(i1, i2):
            out.append(f"  {name}:{line_no + 1}: signed: {a[line_no].strip()}")
        for line_no in range(j1, j2):
            out.append(f"  {name}:{line_no + 1}: log:    {b[line_no].strip()}")
    return out
