"""SessionState.standing: how a member stands now, the one answer for the screens, the report and the record."""

from __future__ import annotations

from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import member, write_agenda


def test_a_member_walks_through_every_standing(tmp_path):
    agenda = write_agenda(tmp_path, [member("jp-a"), member("jp-b"), member("jp-c")],
                          [{"id": "1", "title": "Budget", "kind": "decision", "article": "8.6"}])
    s = Session.create(load_agenda(agenda), str(tmp_path / "s.sqlite"))
    try:
        steps = []
        steps.append(("nothing recorded", s.state.standing("jp-a"), "absent"))
        s.record_letter("jp-a", {"1": "yes"})
        steps.append(("a letter, not present", s.state.standing("jp-a"), "letter"))
        s.set_attendance("jp-a", "online")
        steps.append(("came online: the letter stops counting", s.state.standing("jp-a"), "online"))
        s.set_attendance("jp-a", "in_person")
        steps.append(("in the hall", s.state.standing("jp-a"), "in_person"))
        s.set_attendance("jp-a", "absent")
        steps.append(("left: the superseded letter does not come back", s.state.standing("jp-a"), "absent"))
        assert [(what, got) for what, got, _ in steps] == [(what, want) for what, _, want in steps]

        # The report's attendance figures count the same standings: b in person, c by letter, a absent.
        s.set_attendance("jp-b", "in_person")
        s.record_letter("jp-c", {"1": "no"})
        assert s.state.session_figures() == {"in_person": 1, "online": 0, "letter": 1, "absent": 1}
    finally:
        s.close_log()
