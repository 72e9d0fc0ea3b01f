"""The record folded from the log: the figures a reader checks, the roll call member by member."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from near_tui.core.state import SessionState
from near_tui.declaration.declaration_text import declaration_markdown
from near_tui.declaration.record import build_record, record_csv, record_json
from near_tui.service.imports import import_file
from near_tui.service.session import Session

AGENDA = Path(__file__).resolve().parents[2] / "agenda"


def _record(session):
    return build_record(session.log.read_events())


def test_ga12_figures_match_the_2018_report(ga12_replayed):
    ga12_replayed.close_session()
    fig = _record(ga12_replayed)["figures"]
    assert fig["attending"] == 29
    assert [(c["name"], c["count"]) for c in fig["attending_by_country"]] == [
        ("People's Republic of China", 8), ("Japan", 4), ("Republic of Korea", 5), ("Mongolia", 7), ("Russian Federation", 5)]
    assert fig["taking_part"] == 50
    assert fig["by_letter"] == 21
    assert fig["admitted"] == [{"id": "jp-akita", "by_item": "2"}]
    assert (fig["members_at_end"], fig["countries_at_end"], fig["associates_at_end"]) == (78, 6, 1)


def test_roll_call_rows_add_up_to_each_tally(ga12_replayed):
    record = _record(ga12_replayed)
    decisions = [i for i in record["items"] if i["kind"] == "decision"]
    assert [i["id"] for i in decisions] == ["2", "4", "5", "6", "7", "8"]
    for item in decisions:
        rows = item["roll_call"]["members"]
        answers = [r["answer"] for r in rows]
        assert answers.count("yes") == item["yes"]
        assert answers.count("no") == item["no"]
        assert answers.count("abstain") == item["abstain"]
        assert answers.count("not_voting") == item["not_voting"]
        assert sum(r["participating"] for r in rows) == item["participating"]
    # Akita is not on the roll for its own admission, and is from item 4 on.
    assert "jp-akita" not in {r["member_id"] for r in decisions[0]["roll_call"]["members"]}
    assert "jp-akita" in {r["member_id"] for r in decisions[1]["roll_call"]["members"]}


def test_csv_has_one_row_per_member_per_roll_call(ga12_replayed):
    record = _record(ga12_replayed)
    rows = list(csv.DictReader(io.StringIO(record_csv(record).decode("utf-8-sig"))))
    assert len(rows) == 77 + 5 * 78
    kyoto5 = next(r for r in rows if r["item_id"] == "5" and r["member_id"] == "jp-kyoto")
    assert (kyoto5["attendance"], kyoto5["answer"], kyoto5["source"]) == ("letter", "abstain", "letter")


def test_corrections_and_superseded_letters_stay_in_the_record(ga12_present):
    s = ga12_present
    s.open_vote("2")
    s.record_vote("2", "cn-henan", "yes")
    s.record_vote("2", "cn-henan", "no")  # a correction
    s.close_vote("2")
    # Anhui voted by letter on item 2, then arrives and answers item 4 in person.
    s.set_attendance("cn-anhui", "in_person")
    s.open_vote("4")
    s.record_vote("4", "cn-anhui", "no")
    s.close_vote("4")
    items = {i["id"]: i for i in _record(s)["items"]}
    henan = next(r for r in items["2"]["roll_call"]["members"] if r["member_id"] == "cn-henan")
    assert henan["answer"] == "no" and henan["corrections"] == 1
    assert [h["vote"] for h in henan["history"]] == ["yes", "no"]
    anhui2 = next(r for r in items["2"]["roll_call"]["members"] if r["member_id"] == "cn-anhui")
    anhui4 = next(r for r in items["4"]["roll_call"]["members"] if r["member_id"] == "cn-anhui")
    assert (anhui2["answer"], anhui2["source"]) == ("yes", "letter")
    assert (anhui4["answer"], anhui4["source"], anhui4["attendance"]) == ("no", "recorded", "in_person")
    letter = next(entry for entry in _record(s)["letters"] if entry["member_id"] == "cn-anhui")
    assert letter["superseded_seq"] is not None
    # Anhui attended (from item 4) and took part, so it no longer counts as "by letter".
    fig = _record(s)["figures"]
    assert (fig["attending"], fig["by_letter"]) == (30, 20)


def test_two_logs_of_the_same_session_give_the_same_bytes(ga12_closed, tmp_path, ga12_definition, replay_ga12):
    from support import FixedClock

    again = Session.create(ga12_definition, str(tmp_path / "again.sqlite"), clock=FixedClock())
    try:
        import_file(again, "attendance", AGENDA / "ga12-2018-attendance.csv")
        import_file(again, "letters", AGENDA / "ga12-2018-letters.csv")
        replay_ga12(again)
        again.close_session()
        first = record_json(_record(ga12_closed.session))
        assert record_json(_record(again)) == first
    finally:
        again.close_log()
    assert json.loads(first)["log"]["closed"] is True


def test_a_member_who_answered_and_left_before_the_close_attended_and_never_wrote(ga12_present):
    # The 2018 report: 29 attended, 21 took part by letter. One more member comes in, answers item 2
    # from the floor and is marked absent again before the vote closes: it attended, with no letter.
    s = ga12_present
    state = s.state
    comer = next(m for m in state.members if not state.is_present(m) and m not in state.letters
                 and state.members[m].status == "member")
    s.set_attendance(comer, "in_person")
    s.open_vote("2")
    s.record_vote("2", comer, "yes")
    s.set_attendance(comer, "absent")
    s.close_vote("2")
    record = _record(s)
    row = next(m for m in record["members"] if m["id"] == comer)
    assert (row["attended"], row["took_part"], row["by_letter"]) == (True, True, False)
    fig = record["figures"]
    assert (fig["attending"], fig["by_letter"]) == (29 + 1, 21)


def test_a_session_held_by_letters_alone_has_no_empty_attendance_heading(ga12_session):
    # The 21 letters of the 2018 sample and nobody in the hall: nobody to list as represented there.
    import_file(ga12_session, "letters", AGENDA / "ga12-2018-letters.csv")
    events = ga12_session.log.read_events()
    text = declaration_markdown(build_record(events), SessionState.from_events(events)).decode()
    assert "Members represented, by country" not in text
    assert "Members taking part by written letter, by country" in text
