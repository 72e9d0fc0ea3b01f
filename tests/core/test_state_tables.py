"""Every kind of event has its check, its fold and its payload type, and the payloads the session
writes are the ones payloads.py declares. A new kind (or a new payload field) that misses one of
them fails here, with the kind or the field named."""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from near_tui.core import events as ev
from near_tui.core.payloads import PAYLOADS
from near_tui.core.state import CHECKS, FOLDS
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, member, write_agenda


@pytest.mark.parametrize(("table", "name"), [(CHECKS, "CHECKS (core/state.py)"), (FOLDS, "FOLDS (core/state.py)"),
                                             (PAYLOADS, "PAYLOADS (core/payloads.py)")])
def test_each_table_has_one_entry_per_kind_of_event(table, name):
    missing = sorted(ev.KINDS - set(table))
    unknown = sorted(set(table) - ev.KINDS)
    assert not missing, f"{name} has no entry for {', '.join(missing)}"
    assert not unknown, f"{name} has entries for kinds events.KINDS does not list: {', '.join(unknown)}"


def conforms(value: Any, hint: Any) -> bool:
    """Whether ``value`` (read from JSON) is of type ``hint`` as payloads.py spells types."""
    origin = get_origin(hint)
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if origin is Literal:
        return value in get_args(hint)
    if origin in (Union, types.UnionType):
        return any(conforms(value, h) for h in get_args(hint))
    if is_typeddict(hint):
        return not shape_problems(value, hint)
    if origin is dict:
        key, val = get_args(hint)
        return isinstance(value, dict) and all(conforms(k, key) and conforms(v, val) for k, v in value.items())
    if origin is list:
        (entry,) = get_args(hint)
        return isinstance(value, list) and all(conforms(v, entry) for v in value)
    return isinstance(value, hint)


def shape_problems(payload: Any, shape: Any) -> list[str]:
    if not isinstance(payload, dict):
        return [f"not a mapping: {payload!r}"]
    hints = get_type_hints(shape)
    problems = [f"lacks {key!r}" for key in sorted(shape.__required_keys__ - set(payload))]
    problems += [f"has {key!r}, which {shape.__name__} does not declare" for key in sorted(set(payload) - set(hints))]
    problems += [f"{key!r} is {value!r}, not {hints[key]}" for key, value in payload.items()
                 if key in hints and not conforms(value, hints[key])]
    return problems


def every_kind_of_event(tmp_path) -> list[ev.Event]:
    """A session that records each kind of event at least once."""
    members = [member("m1"), member("m2"), member("m3"), member("m4"), member("app", status="applicant")]
    items = [
        {"id": "1", "title": "Admission", "kind": "decision", "article": "8.1", "admits": ["app"]},
        {"id": "2", "title": "Report", "kind": "report"},
        {"id": "3", "title": "Consensus", "kind": "consensus"},
        {"id": "4", "title": "Chair", "kind": "election"},
        {"id": "5", "title": "Fees", "kind": "decision", "article": "8.7"},
        {"id": "6", "title": "Venue", "kind": "decision", "article": "8.5"},
    ]
    s = Session.create(load_agenda(write_agenda(tmp_path, members, items)), str(tmp_path / "s.sqlite"),
                       clock=FixedClock())
    try:
        for m in ("m1", "m2", "m3"):
            s.set_attendance(m, "in_person")
        s.record_letter("m4", {"1": "yes"})
        s.withdraw_letter("m4")
        s.record_letter("m4", {"1": "yes", "5": "no"})
        s.open_vote("1", order="alphabetical")  # a start drawn by lot
        s.record_vote("1", "m1", "yes")
        s.record_vote("1", "m2", "no")
        s.record_vote("1", "m2", "yes")  # a correction
        s.undo_last("1")  # a correction taking an answer back
        s.record_vote("1", "m2", "yes")
        s.close_vote("1", expected=s.state.closing_tally("1"))  # carried: the applicant is admitted
        s.stated_at = ev.parse_stated_time("2018-10-29T10:30+08:00")  # from here on, a replay's --at
        s.note_item("2")
        s.record_consensus("3", adopted=True)
        s.record_election("4", ["m1"])
        s.add_item({"id": "7", "title": "Addendum", "kind": "report"}, after="4")
        s.add_item({"id": "8", "title": "Late report", "kind": "report"})
        s.move_item("8", after="2")
        s.withdraw_item("5", "the proposal was withdrawn by its authors")
        s.postpone_item("6", "to the next assembly")
        s.close_session(left_pending=["8", "7"])
        s.reopen_session("a figure to check")
        return s.log.read_events()
    finally:
        s.close_log()


def test_every_payload_written_is_the_one_its_kind_declares(tmp_path):
    events = every_kind_of_event(tmp_path)
    assert not ev.KINDS - {e.kind for e in events}, "the scenario above must record every kind"
    problems = [f"event {e.seq} ({e.kind}): {problem}" for e in events
                for problem in shape_problems(e.payload, PAYLOADS[e.kind])]
    assert not problems, "\n".join(problems)
    assert any(e.kind == ev.MEMBER_ADMITTED for e in events)
    assert any(ev.STATED_AT in e.payload for e in events), "a stated time must be recorded too"
