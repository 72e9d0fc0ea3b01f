"""The two readings of Subcommittee Regulations Art. 5.8 (docs/rules.md).

"Votes cast" (the default) takes the majority of the yes and no answers; "members with the right
to vote" (the literal reading) takes it of every member with a vote, absent ones included. Every
expected figure is counted here from the answers and the roster the test writes.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from near_tui.core import events as ev
from near_tui.core.errors import RuleError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from near_tui.views.verdict import item_verdict, verdict
from near_tui.views.view_model import build_board
from support import FixedClock, member, near as near_here

NINE = [member(f"m{i}") for i in range(1, 10)]
REPLACE = {"id": "1", "title": "Replacement of the Tourism coordinator", "kind": "decision", "article": "sub-5.8"}


def near(*args, check=True):
    """``near-tui ARGS`` in this process (click's runner)."""
    done = near_here(*args)
    if check and done.exit_code != 0:
        raise AssertionError(f"exit {done.exit_code}: {done.stderr} {done.exception!r}")
    return done


def wc_agenda(tmp_path, members, items, reading=None, declaration=None, **rules):
    if reading is not None:
        rules["sub58_majority_of"] = reading
    doc = {
        "session": {"id": "wc-58", "title": "Working Committee", "body": "working_committee",
                    "venue": "Test Hall", "opens": "2019-09-10"},
        "roster": members,
        **({"rules": rules} if rules else {}),
        "items": items,
        **({"declaration": declaration} if declaration else {}),
    }
    path = tmp_path / f"agenda-{reading}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def session_for(tmp_path, members, items, reading=None, **rules):
    path = wc_agenda(tmp_path, members, items, reading, **rules)
    return Session.create(load_agenda(path), str(tmp_path / f"{reading}.sqlite"), clock=FixedClock())


# --- the case that splits the readings, through the CLI: nine with a vote, four yes, one no -----
@pytest.mark.parametrize("reading", ["votes_cast", "members_with_vote"])
def test_nine_with_a_vote_four_yes_one_no(tmp_path, reading):
    # The reading is stated with the figures, which the public declaration prints on request.
    path = wc_agenda(tmp_path, NINE, [REPLACE], reading, declaration={"tallies": True})
    db = tmp_path / "s.sqlite"
    near("new", path, "--db", db)
    present = ["m1", "m2", "m3", "m4", "m5"]
    (tmp_path / "att.csv").write_text("member_id,mode\n" + "".join(
        f"{m['id']},{'in_person' if m['id'] in present else 'absent'}\n" for m in NINE), encoding="utf-8")
    answers = {"m1": "yes", "m2": "yes", "m3": "yes", "m4": "yes", "m5": "no"}
    (tmp_path / "votes.csv").write_text("item_id,member_id,vote\n" + "".join(
        f"1,{m},{v}\n" for m, v in answers.items()), encoding="utf-8")
    near("import", "attendance", "--db", db, tmp_path / "att.csv")
    near("import", "votes", "--db", db, tmp_path / "votes.csv")
    item = json.loads(near("report", "--db", db, "--json").stdout)["items"][0]

    # Counted by hand: 5 of 9 present (2*5 > 9: quorum), 4 yes and 1 no cast, 9 members with a vote.
    yes = list(answers.values()).count("yes")
    no = list(answers.values()).count("no")
    with_vote = len(NINE)
    assert (item["participating"], item["quorum_met"], item["yes"], item["no"], item["cast"]) == \
        (len(present), True, yes, no, yes + no)
    assert item["reading"] == reading
    if reading == "votes_cast":
        # More than half of 5 cast: 3 needed, 4 given.
        assert (item["required_yes"], item["outcome"]) == ((yes + no) // 2 + 1, "carried")
        assert "members_with_vote" not in item
    else:
        # More than half of the 9 with a vote: 5 needed, 4 given.
        assert (item["members_with_vote"], item["required_yes"], item["outcome"]) == \
            (with_vote, with_vote // 2 + 1, "not_carried")

    table = near("report", "--db", db).stdout
    assert (">½ all" in table) is (reading == "members_with_vote")  # the rule column names the reading

    key = tmp_path / "keys" / "k.key"
    near("keygen", "--out", key)
    near("close", "--db", db, "--key", key, "--out", tmp_path / "out")
    text = " ".join((tmp_path / "out" / "declaration.md").read_text(encoding="utf-8").split())
    if reading == "votes_cast":
        assert "The Working Committee approved it." in text
        assert ("Roll call: 4 in favour, 1 against and 0 abstaining. It needed more than half of "
                "the votes cast (3 of 5) to pass, reading Subcommittee Regulations Art. 5.8 as a majority of "
                "the votes cast;") in text
    else:
        assert "The Working Committee did not approve it." in text
        assert ("Roll call: 4 in favour, 1 against and 0 abstaining. It needed more than half "
                "of the members with the right to vote (5 of 9) to pass, reading Subcommittee Regulations "
                "Art. 5.8 literally;") in text


# --- who are "the members with the right to vote" ------------------------------------------------
@pytest.mark.parametrize("restricted_in_quorum", [True, False])
def test_members_with_a_vote_are_the_full_members_present_or_absent(tmp_path, restricted_in_quorum):
    roster = NINE + [member("m-restricted", voting="restricted"), member("vn-assoc", status="associate"),
                     member("cn-obs", status="observer"), member("jp-app", status="applicant")]
    s = session_for(tmp_path, roster, [REPLACE], "members_with_vote",
                    restricted_count_toward_quorum=restricted_in_quorum)
    for mid in ("m1", "m2", "m3", "m4", "m5", "m-restricted", "vn-assoc", "cn-obs"):
        s.set_attendance(mid, "in_person")
    s.open_vote("1")
    for mid in ("m1", "m2", "m3", "m4", "m5"):
        s.record_vote("1", mid, "yes")
    s.close_vote("1")
    t = s.state.tally("1")
    # Nine full members, four of them absent; the restricted member, the associate, the observer and
    # the applicant have no vote. More than half of 9 is 5: the five yes carry.
    assert (t.members_with_vote, t.required_yes, t.yes, t.outcome) == (9, 5, 5, "carried")
    # The quorum base is another count: it keeps the restricted member unless the option drops it.
    assert (t.quorum_base, t.participating) == ((10, 6) if restricted_in_quorum else (9, 5))
    s.close_log()


def test_an_admission_adds_a_member_with_a_vote_for_the_items_after_it(tmp_path):
    roster = NINE[:4] + [member("jp-new", status="applicant")]
    items = [{"id": "1", "title": "Admission", "kind": "decision", "article": "8.1", "admits": ["jp-new"]},
             {**REPLACE, "id": "2"}]
    s = session_for(tmp_path, roster, items, "members_with_vote")
    for mid in ("m1", "m2", "m3"):
        s.set_attendance(mid, "in_person")
    s.open_vote("1")
    for mid in ("m1", "m2", "m3"):
        s.record_vote("1", mid, "yes")
    s.close_vote("1")  # 3 yes of 3 cast: admitted
    s.open_vote("2")
    for mid in ("m1", "m2"):
        s.record_vote("2", mid, "yes")
    s.record_vote("2", "m3", "no")
    s.close_vote("2")
    t = s.state.tally("2")
    # Four members and the newcomer have a vote: 5, of which more than half is 3; 2 yes do not carry.
    assert (t.members_with_vote, t.required_yes, t.outcome) == (5, 3, "not_carried")
    s.close_log()


# --- "decided" follows the reading --------------------------------------------------------------
@pytest.mark.parametrize("reading, before, last, after", [
    # 4 yes, 1 no, 1 still to call. Of the cast, even a last no leaves 4 of 6: decided at once.
    ("votes_cast", ("carried", "DECIDED: CARRIED"), "no", ("carried", "DECIDED: CARRIED")),
    # Of the nine with a vote, 5 yes are needed: the last answer decides.
    ("members_with_vote", ("undecided", "NOT DECIDED YET"), "yes", ("carried", "DECIDED: CARRIED")),
    ("members_with_vote", ("undecided", "NOT DECIDED YET"), "abstain", ("not_carried", "DECIDED: NOT CARRIED")),
])
def test_decided_follows_the_reading(tmp_path, reading, before, last, after):
    s = session_for(tmp_path, NINE, [REPLACE], reading)
    for mid in ("m1", "m2", "m3", "m4", "m5", "m6"):
        s.set_attendance(mid, "in_person")
    s.open_vote("1")
    for mid, answer in (("m1", "yes"), ("m2", "yes"), ("m3", "yes"), ("m4", "yes"), ("m5", "no")):
        s.record_vote("1", mid, answer)
    v = verdict(s.state.tally("1"))
    assert (v.code, v.words) == before
    s.record_vote("1", "m6", last)
    v = verdict(s.state.tally("1"))
    assert (v.code, v.words) == after
    s.close_vote("1")
    assert item_verdict(s.state, "1").code == after[0]
    s.close_log()


# --- the screens say which reading decides ------------------------------------------------------
@pytest.mark.parametrize("reading, rule_words, needed", [
    ("votes_cast", "MORE THAN HALF of votes cast (yes + no) · Subcommittee Regs Art. 5.8, read as votes cast",
     "of 5 cast"),
    ("members_with_vote", "MORE THAN HALF of all members with a vote · Subcommittee Regs Art. 5.8, literal reading",
     "of 9 with a vote"),
])
def test_the_chair_and_the_verdict_name_the_reading(tmp_path, reading, rule_words, needed):
    s = session_for(tmp_path, NINE, [REPLACE], reading)
    for mid in ("m1", "m2", "m3", "m4", "m5"):
        s.set_attendance(mid, "in_person")
    s.open_vote("1")
    for mid, answer in (("m1", "yes"), ("m2", "yes"), ("m3", "yes"), ("m4", "yes"), ("m5", "no")):
        s.record_vote("1", mid, answer)
    vote = build_board(s.state).vote
    assert vote.rule == rule_words
    assert vote.needed_of == needed
    s.close_vote("1")
    reason = item_verdict(s.state, "1").reason
    assert reason == ("4 yes of 5 cast, 3 needed" if reading == "votes_cast"
                      else "4 yes of 9 members with a vote, 5 needed")
    s.close_log()


async def test_the_clerk_sees_the_literal_reading_and_its_result_before_closing(tmp_path):
    from textual.widgets import Static

    from near_tui.clerk import build_app

    s = session_for(tmp_path, NINE, [REPLACE], "members_with_vote")
    for mid in ("m1", "m2", "m3", "m4", "m5"):
        s.set_attendance(mid, "in_person")
    db = s.log.db
    s.close_log()

    from near_tui.clerk.key_repeat import KeyRepeat

    # Pilot presses y four times in a few ms, as a held key would: every key counts here.
    app = build_app(db, item="1", clock=FixedClock("2019-09-10T10:00:00"), key_repeat=KeyRepeat(0.0, 0.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("y", "y", "y", "y", "n")  # the five present members, in roster order
        await pilot.pause()
        # 4 yes of 5 cast would carry a votes-cast majority; 5 of the 9 with a vote are needed here.
        line = str(app.screen.query_one("#verdict", Static).render())
        assert "DECIDED: NOT CARRIED" in line and "4 yes of 9 members with a vote, 5 needed" in line
        await pilot.press("c")
        await pilot.pause()
        body = " ".join(str(app.screen.query_one("#body", Static).render()).split())
        assert "If closed now: ✘ NOT CARRIED 4 yes of 9 members with a vote, 5 needed" in body
        await pilot.press("escape")  # not closed: this test only reads
        await pilot.press("f2")
        await pilot.pause()
        description = " ".join(str(app.screen.query_one("#description", Static).render()).split())
        assert ("Subcommittee Regulations Art. 5.8, literal reading: more than half of all members "
                "with a vote") in description
    assert app.state.items["1"].status == "open"


# --- a close event written before the reading existed is still read -----------------------------
def test_a_close_event_without_the_new_tally_fields_is_accepted_and_a_wrong_one_refused(tmp_path):
    s = session_for(tmp_path, NINE, [{**REPLACE, "title": "Budget", "article": "8.7"}])
    for mid in ("m1", "m2", "m3", "m4", "m5"):
        s.set_attendance(mid, "in_person")
    s.open_vote("1")
    for mid in ("m1", "m2", "m3", "m4", "m5"):
        s.record_vote("1", mid, "yes")
    older = dataclasses.asdict(s.state.closing_tally("1"))
    del older["reading"], older["members_with_vote"]
    s.state.check(ev.VOTE_CLOSED, {"item_id": "1", "tally": older})  # as an earlier near-tui wrote it
    with pytest.raises(RuleError, match="does not match"):
        s.state.check(ev.VOTE_CLOSED, {"item_id": "1", "tally": {**older, "yes": 4}})
    with pytest.raises(RuleError, match="does not match"):
        s.state.check(ev.VOTE_CLOSED, {"item_id": "1", "tally": {**older, "colour": "red"}})
    s.close_log()
