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
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import minisign

from near_tui.core import events as ev, seats
from near_tui.core.errors import InputError, NearError, RuleError
from near_tui.core.state import SessionState
from near_tui.storage.session_log import SessionLog

from . import checkpoints, closing_folder, keys, signing
from .declaration_text import declaration_markdown, plural
from .file_names import MINUTES_MD, RECORD_CSV, RECORD_JSON, SIGNED, declaration_names, signed_names
from .findings import Findings
from .minutes_text import minutes_markdown, utc
from .record import build_record, languages_of, record_csv, record_json

MAX_DIFF_LINES = 20


def verify_folder(folder: str | Path, pub_path: str | Path, db: str | None = None,
                  witnesses: list[Path] | tuple[Path, ...] = ()) -> Findings:
    """Check a closed session's FOLDER; with ``db``, the log behind it (and its checkpoints, if any);
    with ``witnesses``, against the checkpoints viewers kept from the board (``witness``)."""
    folder = Path(folder)
    under_way = _close_under_way(folder)
    public = keys.load_public_key(Path(pub_path))
    if under_way is not None:
        return Findings(problems=[under_way])
    before = _listing(folder)
    found = _verify_files(folder, public, db, witnesses)
    # A close that put files in while they were read may have left them half read: say only that.
    if _listing(folder) != before or closing_folder.close_state(folder) is not None:
        return Findings(problems=[f"{folder}: a close put its signed files into it while it was being checked "
                                  "— run verify again"])
    return found


def _close_under_way(folder: Path) -> str | None:
    """One line when ``folder`` is, or stands beside, the staging folder of a close not finished."""
    target = closing_folder.staged_for(folder)
    if target is not None:
        return (f"{folder}: the temporary folder of a close, not a signed set — verify {target} once the "
                "close has finished")
    state = closing_folder.close_state(folder)
    staging = closing_folder.staging_folder(folder).name
    if state == closing_folder.WRITING:
        return (f"{folder}: a close is writing its signed files now (into {staging} beside it) — wait until "
                "`near-tui close` has finished, then run verify again")
    if state == closing_folder.INTERRUPTED:
        return (f"{folder}: a close was interrupted before its signed files were all in place ({staging} is "
                "left beside it) — run `near-tui close` again with the session's database and key: it "
                "finishes the set and closes nothing twice")
    if not folder.is_dir():
        raise InputError(str(folder), None, "does not exist or is not a folder — give the folder the "
                                            "session was closed into")
    return None


def _listing(folder: Path) -> frozenset[str]:
    """The names of the files (not folders, not hidden) in ``folder``: a close adds to them."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(e.name for e in entries if not e.name.startswith(".") and not e.is_dir())
    except OSError:
        return frozenset()


def _verify_files(folder: Path, public: minisign.PublicKey, db: str | None,
                  witnesses: list[Path] | tuple[Path, ...]) -> Findings:
    found = Findings()
    comments: dict[str, dict[str, str]] = {}
    contents: dict[str, bytes] = {}
    other_key: dict[str, str] = {}  # file -> why (the key id that signed it)
    for name in _expected_files(folder, found):
        path, sig_path = folder / name, folder / (name + signing.SIG_SUFFIX)
        if not path.is_file():
            found.problems.append(f"{name}: missing — copy it back from the folder the session was closed into")
            continue
        contents[name] = path.read_bytes()
        if not sig_path.is_file():
            found.problems.append(f"{name}: its signature {sig_path.name} is missing — copy it back beside the file")
            continue
        sig_bytes = sig_path.read_bytes()
        try:
            comment = signing.check(public, contents[name], sig_bytes)
        except (minisign.Error, ValueError) as exc:
            code, why = signing.diagnose(public, contents[name], sig_bytes)
            made_for = signing.signed_file_name(sig_bytes)
            if code == signing.OTHER_KEY:
                other_key[name] = why
            elif code == signing.FILE_CHANGED and made_for not in (None, name):
                # Our key signed it, for another file: a signature swapped in, not a changed file.
                found.problems.append(f"{name}: {sig_path.name} is the signature of {made_for}, not of this file "
                                      f"(swapped in) — take {sig_path.name} from the folder the session was "
                                      "closed into")
            elif code == signing.FILE_CHANGED:
                found.problems.append(f"{name}: signature does not hold, {why} — this is not the signed file; "
                                      "take the copy published with its signature")
            else:
                found.problems.append(f"{name}: signature does not hold, {why} ({exc}) — "
                                      f"take {sig_path.name} from the folder the session was closed into")
            continue
        fields = signing.parse_trusted_comment(comment)
        comments[name] = fields
        found.ok.append(f"{name}: signature holds — {comment}")
        if fields.get("file") != name:
            found.problems.append(f"{name}: its signature was made for {fields.get('file')!r}, not for this file")
    # A signature by another key says nothing about a file's content, either way: it may be the right
    # files checked with the wrong public key, or files forged and signed anew. Only that is said.
    if other_key and not comments and len(set(other_key.values())) == 1:
        found.problems.append(f"signatures: every file is {next(iter(other_key.values()))} — nothing can be "
                              "concluded about their content; check them with the public key of the key that "
                              "closed this session")
    else:
        found.problems.extend(f"{name}: {why} — nothing can be concluded about its content; check it with the "
                              "public key of the key that closed this session"
                              for name, why in other_key.items())

    heads = {(f.get("session"), f.get("chain_head"), f.get("events")) for f in comments.values()}
    if len(heads) > 1:
        found.problems.append("the signatures name different sessions or chain heads: "
                              + "; ".join(f"{n}: {f.get('session')} {f.get('chain_head')}" for n, f in comments.items()))
    record = _signed_record(contents, comments, found)
    if record is not None:
        _check_csv(folder, record, found)
    events = None
    if db is not None:
        # Never skipped: without a usable record.json the signed head comes from any signature that holds.
        events = _check_log(db, _signed_head(record, comments), contents, found, set(comments))
    marks = checkpoints.checkpoint_folder(folder)
    held: list[int] = []
    if marks.is_dir():
        session_id = record["session"]["id"] if record is not None else None
        if db is None or events is not None:
            held = checkpoints.check_checkpoints(marks, public, events, session_id, found)
    if witnesses and (db is None or events is not None):
        from .witness import check_witnesses

        kept_here = {seq: _chain_head(marks / checkpoints.file_name(seq)) for seq in held}
        check_witnesses(list(witnesses), public, events, kept_here, record, found)
    return found


def _expected_files(folder: Path, found: Findings) -> tuple[str, ...]:
    """Every file the close wrote: the fixed set, and a declaration per further language of the
    session, as record.json lists them (its own signature is checked with the rest). A declaration
    in a language the record does not list is not part of the signed set: said, not trusted."""
    names = SIGNED
    try:
        record = json.loads((folder / RECORD_JSON).read_bytes())
        languages = tuple(record["session"].get("languages") or ("en",))
        names = signed_names(languages)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # a missing or unreadable record.json is reported as such below
    strays = sorted(p.name for p in folder.glob("declaration.*") if not p.name.endswith(signing.SIG_SUFFIX)
                    and p.name not in names)
    found.problems.extend(f"{name}: not one of the files this close wrote (record.json does not list it) — "
                          "it is not part of the signed declaration" for name in strays)
    return names


def _chain_head(path: Path) -> str:
    """The chain head a checkpoint file (whose signature was found to hold) names."""
    return json.loads(checkpoints.read_entry(path))["chain_head"]


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
    if chain:
        # One removed or altered event breaks every link after it: the first break says where; the
        # rest only count (each later event is reported once, by its sequence number).
        found.problems.append(f"log: {chain[0]}")
        later = len({p.split(":")[0] for p in chain[1:]} - {chain[0].split(":")[0]})
        if later:
            found.problems.append(f"log: {plural(later, 'later event')} {'does' if later == 1 else 'do'} not "
                                  "follow on from it either (the break carries through the chain)")
    else:
        found.ok.append(f"log: hash chain holds over {len(events)} events")
    _check_rules(events, found)
    _check_seats(events, found)


def _check_seats(events: list[ev.Event], found: Findings) -> None:
    """Every event signed by a seat the log registered (docs/seats.md); each one that is not, named."""
    book, problems = seats.seal_problems(events)
    found.problems.extend(f"log: {text}" for _seq, text in problems)
    if book.legacy:
        found.ok.append("seats: this log is from before seats signed their events — who appended each "
                        "event cannot be checked")
    elif not problems:
        unsigned = f" (events before {book.unsigned_before} predate seat signatures)" if book.unsigned_before > 1 else ""
        found.ok.append(f"seats: every event is signed by one of {len(book.seats)} seat(s){unsigned}: "
                        + "; ".join(book.describe()))


@dataclass(frozen=True)
class SignedHead:
    """What the signed files say the log was at the close."""

    session_id: str
    chain_head: str
    events: int
    opened_at: str | None  # the first event's time (record.json only): tells one database of a session from another
    source: str  # where it was read: record.json, or the signed file whose trusted comment gave it


def _signed_head(record: dict[str, Any] | None, comments: dict[str, dict[str, str]]) -> SignedHead | None:
    if record is not None:
        log = record["log"]
        return SignedHead(record["session"]["id"], log["chain_head"], log["events"], log.get("opened_at"), RECORD_JSON)
    for name, fields in comments.items():
        try:
            return SignedHead(fields["session"], fields["chain_head"], int(fields["events"]), None, name)
        except (KeyError, ValueError):
            continue
    return None


def _db_session(events: list[ev.Event]) -> str | None:
    first = events[0] if events else None
    if first is None or first.kind != ev.SESSION_OPENED:
        return None
    session = first.payload.get("session")
    return session.get("id") if isinstance(session, dict) else None


def _check_log(db: str, closing: SignedHead | None, contents: dict[str, bytes],
               found: Findings, signed_ok: frozenset[str] | set[str] = frozenset()) -> list[ev.Event] | None:
    """``signed_ok``: the files whose signature held (a difference names the others "file", not "signed")."""
    events = read_log(db, found)
    if events is None:
        return None
    chain_held = not ev.chain_problems(events)
    check_events(events, found)
    if closing is None:
        found.problems.append(f"{db}: the log was checked on its own, not against the files, as no signature holds "
                              "to say which close they match — pass the right public key, or restore the signed files")
        return events
    if closing.source != RECORD_JSON:
        found.ok.append(f"{db}: compared with the chain head signed with {closing.source} ({RECORD_JSON} "
                        f"{'does not hold' if RECORD_JSON in contents else 'is missing'})")

    in_db = _db_session(events)
    if in_db is not None and in_db != closing.session_id:  # no session_opened first: altered, checked below
        found.problems.append(f"{db}: holds session {in_db!r}, the signed files session {closing.session_id!r} — "
                              "a different session's database, not an altered one; pass the database this "
                              "folder was closed from")
        return events
    head, count = closing.chain_head, closing.events
    at = next((i for i, e in enumerate(events) if e.hash == head), None)
    if at is None:
        first_at = ev.stated_time(events[0])  # record.json's opened_at is the stated time
        if chain_held and closing.opened_at is not None and first_at != closing.opened_at:
            found.problems.append(f"{db}: another database of session {closing.session_id} (opened "
                                  f"{utc(first_at)}; the signed one was opened {utc(closing.opened_at)}) — a different "
                                  "database, not an altered one; pass the database this folder was closed from")
        else:
            found.problems.append(f"log: no event carries the signed chain head {head[:16]}… — events up to the "
                                  "close were removed or altered; take the log from a backup made before")
        return events
    if events[at].seq != count or at + 1 != count:
        found.problems.append(f"log: the signed chain head is event {count} of the record but stands at position "
                              f"{at + 1} in the log (events removed or inserted)")
    signed_part, later = events[: at + 1], events[at + 1:]
    if later:
        first = later[0]
        if first.kind == ev.SESSION_REOPENED:
            reason = " ".join(str(first.payload.get("reason") or "").split())
            found.problems.append(
                f"log: the log continues after the signed close: {plural(len(later), 'event')}, reopened at "
                f"{utc(ev.stated_time(first))}" + (f" ({reason})" if reason else "") + f" — these files describe "
                f"the session up to event {count} only; close it again to sign the whole log")
        else:
            found.problems.append(f"log: the log continues after the signed close: {plural(len(later), 'event')}, the first "
                                  f"event {first.seq} ({first.kind}), not a reopening — the log was added to after "
                                  "the close; take it from a backup made at the close")

    try:
        rebuilt = build_record(signed_part)
        state = SessionState.from_events(signed_part)
        again = {RECORD_JSON: record_json(rebuilt), MINUTES_MD: minutes_markdown(rebuilt, signed_part, state),
                 RECORD_CSV: record_csv(rebuilt)}
        languages = languages_of(state)  # declaration.md is in the first, the record's
        for code in languages:
            again[declaration_names(code, languages[0])[0]] = declaration_markdown(rebuilt, state, code)
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
        # "signed" only for a file whose signature held: a file whose signature failed is just the
        # file found in the folder, whatever it claims.
        side = "signed" if name in signed_ok else "file"
        found.problems.append(f"{name}: differs from the one rebuilt from the log:")
        found.problems.extend(_cap(_json_differences(signed, fresh, side) if name == RECORD_JSON
                                   else _line_differences(name, signed, fresh, side)))
    return events


def _check_rules(events: list[ev.Event], found: Findings) -> None:
    """Fold the log again, asking before each event whether the rules allowed it then.

    The first event the rules refuse is reported; later ones only counted (after a removed event,
    many later ones may be refused for that one reason).
    """
    state = SessionState()
    refused = 0
    for event in events:
        try:
            state.check(event.kind, event.payload)
        except RuleError as exc:
            refused += 1
            if refused == 1:
                found.problems.append(f"log: event {event.seq} ({event.kind}) breaks the session's rules: {exc}")
        except Exception as exc:
            found.problems.append(f"log: event {event.seq} ({event.kind}) is malformed ({type(exc).__name__}: {exc})")
            break
        try:
            state.apply(event)
        except Exception as exc:
            found.problems.append(f"log: event {event.seq} ({event.kind}) cannot be applied ({type(exc).__name__}: {exc})")
            break
    if refused > 1:
        found.problems.append(f"log: {plural(refused - 1, 'later event')} also {'breaks' if refused == 2 else 'break'} "
                              "the rules (the first break may be their cause)")


def _cap(lines: list[str]) -> list[str]:
    if len(lines) > MAX_DIFF_LINES:
        return lines[:MAX_DIFF_LINES] + [f"  … and {len(lines) - MAX_DIFF_LINES} more differences"]
    return lines


def _json_differences(signed: bytes, fresh: bytes, side: str = "signed") -> list[str]:
    """Each differing value by its path, e.g. ``items[2].roll_call.members[cn-henan].answer``;
    ``side`` names the folder's file: "signed" when its signature held, else "file"."""
    try:
        a = json.loads(signed)
    except ValueError:
        return [f"  the {'signed ' if side == 'signed' else ''}record.json is not valid JSON"]
    b = json.loads(fresh)
    out: list[str] = []
    _walk(a, b, "", out, side)
    return out


def _label(entry: Any, index: int) -> str:
    if isinstance(entry, dict):
        for key in ("id", "member_id", "seq", "code"):
            if key in entry:
                return str(entry[key])
    return str(index)


def _walk(a: Any, b: Any, path: str, out: list[str], side: str = "signed") -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        left, right = a, b

        def name(key: str) -> str:
            return f"{path}.{key}" if path else key
    elif isinstance(a, list) and isinstance(b, list):
        # Lists are compared entry by entry under a stable label (an id where there is one).
        left = {_label(x, i): x for i, x in enumerate(a)}
        right = {_label(x, i): x for i, x in enumerate(b)}

        def name(key: str) -> str:
            return f"{path}[{key}]"
    else:
        if a != b:
            out.append(f"  {path}: {side} {json.dumps(a, ensure_ascii=False)}, log {json.dumps(b, ensure_ascii=False)}")
        return
    for key in list(left) + [k for k in right if k not in left]:
        where = name(key)
        if key not in right:
            out.append(f"  {where}: only in the {'signed file' if side == 'signed' else 'file'}")
        elif key not in left:
            out.append(f"  {where}: only in the log")
        else:
            _walk(left[key], right[key], where, out, side)


def _line_differences(name: str, signed: bytes, fresh: bytes, side: str = "signed") -> list[str]:
    """The changed lines, as ``signed:`` (or ``file:``) / ``log:`` pairs."""
    a = signed.decode("utf-8", "replace").splitlines()
    b = fresh.decode("utf-8", "replace").splitlines()
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for line_no in range(i1, i2):
            out.append(f"  {name}:{line_no + 1}: {side}: {' ' * (6 - len(side))}{a[line_no].strip()}")
        for line_no in range(j1, j2):
            out.append(f"  {name}:{line_no + 1}: log:    {b[line_no].strip()}")
    if not out:
        out.append(f"  {name}: same lines, other bytes (line ends, encoding mark or spaces)")
    return out
