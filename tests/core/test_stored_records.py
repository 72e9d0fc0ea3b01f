"""A session's records have one stored form: what the agenda file's validation gives is what the log
holds, and what a seat reads back from the log (without pydantic) is the very same records."""

from __future__ import annotations

import json

import pytest

from near_tui.core.agenda_schema import Agenda, languages_context
from near_tui.core.definition import SessionDefinition
from near_tui.core.schema import Item, Member, Rules, SessionInfo
from near_tui.inputs.agenda_file import load_agenda
from near_tui.inputs.yaml_lines import load_yaml
from near_tui.service.session import Session
from support import GA12, member, write_agenda

# A Working Committee session: the keys the 12th GA leaves out (delegated_by, a resolution with one
# text, the other reading of Art. 5.8, an associate member, no declaration).
COMMITTEE_ITEMS = [
    {"id": "r1", "title": "Report of the Secretariat", "kind": "report", "noted": "took note of the report"},
    {"id": "d1", "title": "Replacement of a coordinator", "kind": "decision", "article": "sub-5.8",
     "resolution": {"carried": "replaced the coordinator"}},
    {"id": "d2", "title": "Budget", "kind": "decision", "article": "8.6", "delegated_by": "GA12 decision 4"},
]


def committee_agenda(tmp_path):
    members = [member("jp-aomori"), member("kr-busan", status="associate"), member("mn-tov", voting="restricted")]
    path = write_agenda(tmp_path, members, COMMITTEE_ITEMS, rules={"sub58_majority_of": "members_with_vote"})
    text = path.read_text(encoding="utf-8").replace("general_assembly", "working_committee")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=["ga12", "committee"])
def agenda_path(request, tmp_path):
    return GA12 if request.param == "ga12" else committee_agenda(tmp_path)


def test_the_stored_form_is_what_validation_gave(agenda_path):
    # pydantic's own dump of each validated entry, against the record's stored form, key for key
    # and in the same order (the session-opened event is hashed and signed as written).
    data, _ = load_yaml(agenda_path)
    agenda = Agenda.model_validate(data, context=languages_context(data))
    entries = [agenda.session, agenda.rules, *agenda.items]
    if agenda.declaration is not None:
        entries.append(agenda.declaration)
    for entry in entries:
        dumped = entry.model_dump(mode="json")
        assert json.dumps(entry.record().to_json()) == json.dumps(dumped)


def test_a_seat_reads_back_the_definition_it_stored(agenda_path, tmp_path):
    definition = load_agenda(agenda_path)
    payload = json.loads(json.dumps(definition.to_payload()))  # as the log holds it
    assert SessionDefinition.from_payload(payload) == definition
    db = str(tmp_path / "s.sqlite")
    Session.create(definition, db).close_log()
    session = Session.open(db)
    try:
        assert session.state.definition == definition
        assert session.state.definition.to_payload() == definition.to_payload()
    finally:
        session.close_log()


def test_defaults_left_out_of_the_stored_form_come_back():
    # Sessions stored before a key existed leave it out; reading them gives the default.
    rules = Rules.from_json({"abstentions_count_as_cast": True, "restricted_count_toward_quorum": False})
    assert rules == Rules(abstentions_count_as_cast=True, restricted_count_toward_quorum=False,
                          sub58_majority_of="votes_cast")
    assert "sub58_majority_of" not in rules.to_json()
    assert Member.from_json({"id": "jp-aomori", "name": "Aomori", "country": "JP"}).status == "member"
    info = SessionInfo.from_json({"id": "s", "title": "T", "body": "general_assembly", "venue": "V",
                                  "opens": "2018-10-28", "closes": None})
    assert info.languages == ("en",) and info.opens.isoformat() == "2018-10-28"
    assert "languages" not in info.to_json() and "translations" not in info.to_json()


def test_a_stored_record_with_an_unknown_or_missing_key_is_refused():
    with pytest.raises(ValueError, match="no key 'colour'"):
        Item.from_json({"id": "1", "title": "T", "kind": "report", "colour": "red"})
    with pytest.raises(ValueError, match="incomplete"):
        Item.from_json({"id": "1", "kind": "report"})
    with pytest.raises(ValueError, match="mapping"):
        Member.from_json(["jp-aomori"])
