"""A session replayed from its papers with ``--at``, closed, read as the Secretariat reads it.

Every expected text below is written from the 12th GA sample's own files (the attendance, letters and
votes CSVs, the agenda's words) or from docs/declaration.md, never taken from the code under test.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from near_tui.cli.main import main
from near_tui.service.session import Session

SAMPLE = Path(__file__).resolve().parents[2] / "agenda"
AT = {  # the times the 2018 papers give the assembly (Zhangjiajie, UTC+8)
    "new": "2018-10-28T09:00:00+08:00", "attendance": "2018-10-29T09:00:00+08:00",
    "letters": "2018-10-29T09:05:00+08:00", "results": "2018-10-29T09:30:00+08:00",
    "votes": "2018-10-29T10:00:00+08:00", "add": "2018-10-29T15:00:00+08:00",
    "addenda": "2018-10-29T15:30:00+08:00", "close": "2018-10-31T17:00:00+08:00",
}


def run(*args, ok=True):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def replay(folder: Path, db: str, *, addenda: bool = True) -> None:
    run("new", SAMPLE / "ga12-2018.yaml", "--db", db, "--at", AT["new"])
    for what in ("attendance", "letters", "results", "votes"):
        run("import", what, "--db", db, SAMPLE / f"ga12-2018-{what}.csv", "--at", AT[what])
    if addenda:
        run("agenda", "add", "--db", db, "--id", "A1", "--kind", "decision", "--article", "8.2",
            "--title", "Delay of the First Collection of the Membership Fee",
            "--carried", "The General Assembly confirmed that the first fee collection is delayed.", "--at", AT["add"])
        a1 = folder / "a1.csv"
        rows = [r for r in (SAMPLE / "ga12-2018-addenda-votes.csv").read_text().splitlines() if r.startswith("A1,")]
        a1.write_text("item_id,member_id,vote\n" + "\n".join(rows) + "\n")
        run("import", "votes", "--db", db, a1, "--at", AT["addenda"])


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("papers")
    db = str(folder / "ga12.sqlite")
    replay(folder, db)
    run("keygen", "--out", folder / "k.key")
    run("close", "--db", db, "--key", folder / "k.key", "--out", folder / "out", "--at", AT["close"])
    out = folder / "out"
    return {"db": db, "folder": folder, "out": out, "declaration": (out / "declaration.md").read_text(),
            "minutes": (out / "minutes.md").read_text(), "record": json.loads((out / "record.json").read_text())}


def events(db):
    session = Session.open(db, readonly=True)
    try:
        return session.log.read_events()
    finally:
        session.close_log()


# ------------------------------------------------------------------ --at
def test_stated_time_is_kept_beside_the_clock_and_used_by_every_document(closed):
    log = events(closed["db"])
    assert log[0].payload["at"] == AT["new"] and log[-1].payload["at"] == AT["close"]
    assert not log[-1].recorded_at.startswith("2018"), "the log's own clock is kept as it was"
    assert closed["record"]["log"]["closed_at"] == AT["close"]
    assert closed["record"]["log"]["opened_at"] == AT["new"]
    # 17:00 in Zhangjiajie is 09:00 UTC, as the minutes give times.
    assert "The session was closed 2018-10-31 09:00:00 UTC" in closed["minutes"]
    assert "Roll call opened 2018-10-29 02:00:00 UTC" in closed["minutes"]
    assert re.search(r"\b20(19|2\d)-\d\d-\d\d", closed["minutes"]) is None, "no date of the replay's own day"
    assert "Zhangjiajie City, Hunan Province, China, 31 October 2018." in closed["declaration"]


def test_a_time_without_its_offset_is_refused_on_one_line(tmp_path):
    db = str(tmp_path / "s.sqlite")
    result = run("new", SAMPLE / "ga12-2018.yaml", "--db", db, "--at", "2018-10-28T09:00", ok=False)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "has no UTC offset" in result.output and not Path(db).exists()


# ------------------------------------------------------------ import votes
def test_a_votes_file_leaving_present_members_uncalled_is_refused(tmp_path):
    db = str(tmp_path / "s.sqlite")
    replay(tmp_path, db, addenda=False)
    run("agenda", "add", "--db", db, "--id", "A2", "--kind", "decision", "--article", "8.11",
        "--title", "Holding of an Ad-hoc Working Committee When Necessary")
    # Three rows for the 29 members present: 26 present members have none. The first in roster
    # order among those without a row is Heilongjiang (the attendance CSV's first in-person row).
    part = tmp_path / "part.csv"
    part.write_text("item_id,member_id,vote\nA2,ru-irkutsk,yes\nA2,ru-kamchatka,yes\nA2,ru-magadan,yes\n")
    before = len(events(db))
    result = run("import", "votes", "--db", db, part, ok=False)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "26 present members are not called in this file, the first Heilongjiang Province" in result.output
    assert len(events(db)) == before, "nothing written"
    run("import", "votes", "--db", db, part, "--uncalled-not-voting")
    run("keygen", "--out", tmp_path / "k.key")
    run("close", "--db", db, "--key", tmp_path / "k.key", "--out", tmp_path / "out")
    minutes = (tmp_path / "out" / "minutes.md").read_text()
    # 26 never called, 21 letters that name no addendum, 0 who answered "not voting".
    assert "Not voting 47: 0 answered not voting, 21 by a letter silent on the item, 26 not called before " \
           "the close." in minutes
    assert "Not called: Heilongjiang Province 黑龙江省, " in minutes


# -------------------------------------------------------------- the words
def decisions(text: str) -> str:
    return text.split("## Decisions", 1)[1]


def test_no_blanket_quorum_sentence(closed):
    # What holds over the whole session, in the 2018 report's figures: 50 took part, 21 by letter.
    assert "In all, 50 member regional governments took part in the decisions of the General Assembly, " \
           "21 of them by written letter of decision." in closed["declaration"]
    assert "took part in every vote" not in closed["declaration"]
    assert "quorum was not reached" not in closed["declaration"]


def test_elected_and_admitted_members_read_as_an_editor_writes_them(closed):
    text = decisions(closed["declaration"])
    assert "The Sakha Republic (Yakutia) of the Russian Federation was elected Chair of NEAR" in text
    assert "Республика" not in text and "秋田県" not in text, "no native name inside a sentence"
    # Akita's admission is the agenda's own sentence, said once; the new count follows it in words.
    assert text.count("Akita") == 1
    assert "The Association now counts 78 members from six countries and one associate member." in text


def test_country_names_come_from_the_defaults_and_the_roster(closed):
    text = closed["declaration"]
    assert "from five countries: People's Republic of China (8), Japan (4), Republic of Korea (5), " \
           "Mongolia (7) and Russian Federation (5)." in text
    assert "- Democratic People's Republic of Korea (2): " in closed["minutes"]
    assert "Ho Chi Minh City Thành phố Hồ Chí Minh (Viet Nam, associate, absent)" in closed["minutes"]
    assert "DPR Korea" not in closed["minutes"] and "(VN" not in closed["minutes"]


def test_the_roster_renames_a_country_and_every_document_follows(tmp_path):
    shutil.copy(SAMPLE / "ga12-2018.yaml", tmp_path / "ga12-2018.yaml")
    roster = (SAMPLE / "members-2018.yaml").read_text().replace(
        "countries: {VN: Viet Nam}\n", "countries: {VN: Viet Nam, CN: China, RU: Russia}\n")
    (tmp_path / "members-2018.yaml").write_text(roster)
    db = str(tmp_path / "s.sqlite")
    run("new", tmp_path / "ga12-2018.yaml", "--db", db)
    for what in ("attendance", "letters", "results"):
        run("import", what, "--db", db, SAMPLE / f"ga12-2018-{what}.csv")
    run("keygen", "--out", tmp_path / "k.key")
    run("close", "--db", db, "--key", tmp_path / "k.key", "--out", tmp_path / "out", "--leave-pending")
    declaration = (tmp_path / "out" / "declaration.md").read_text()
    minutes = (tmp_path / "out" / "minutes.md").read_text()
    # The attendance CSV: 8 Chinese and 5 Russian regions in person; "Russia" takes no article.
    assert "from five countries: China (8), Japan (4), Republic of Korea (5), Mongolia (7) and Russia (5)." \
        in declaration
    assert "The Sakha Republic (Yakutia) of Russia was elected" in declaration
    assert "- China (8): Heilongjiang Province 黑龙江省," in minutes
    assert "Tianjin City 天津市 (China, observer, absent)" in minutes
    assert "People's Republic of China" not in declaration + minutes and "Russian Federation" not in declaration


def test_a_country_without_a_name_is_refused_when_the_agenda_is_checked(tmp_path):
    shutil.copy(SAMPLE / "ga12-2018.yaml", tmp_path / "ga12-2018.yaml")
    roster = (SAMPLE / "members-2018.yaml").read_text().replace("countries: {VN: Viet Nam}\n", "")
    (tmp_path / "members-2018.yaml").write_text(roster)
    result = run("check", tmp_path / "ga12-2018.yaml", ok=False)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "members-2018.yaml:" in result.output
    assert "country 'VN' has no name to print — add it under countries:" in result.output


def test_headings_and_addenda(closed):
    text = closed["declaration"]
    # The sample's `heading` keys, not its titles; an addendum without its internal id.
    assert "### 2. Admission of a New Member" in text and "Adoption of New Members" not in text
    assert "### 3. Associate Membership of Ho Chi Minh City" in text and "Report:" not in text
    assert "### Delay of the First Collection of the Membership Fee" in text
    assert "A1" not in text


def test_minutes_read_cleanly_and_list_the_admitted_member_apart(closed):
    minutes = closed["minutes"]
    # Nothing in the replay's names, titles or reasons is Markdown, so no escape at all shows.
    assert "\\" not in minutes and "Rule: >½ — MORE THAN HALF" in minutes
    absent = minutes.split("### Absent", 1)[1].split("###", 1)[0]
    assert "Akita" not in absent
    assert "### Admitted during the session, not present (1)\n\n- Akita Prefecture 秋田県 (Japan), " \
           "admitted by item 2" in minutes
    # 78 members at the close: 29 in person, 21 by letter, Akita admitted, so 27 stayed away.
    assert "29 in person, 0 online, 21 by letter, 27 absent, and 1 admitted during the session and " \
           "not present." in minutes


# ----------------------------------------------------------- close again
def test_a_second_close_after_a_reopening_keeps_the_first_set(tmp_path):
    db = str(tmp_path / "s.sqlite")
    replay(tmp_path, db, addenda=False)
    run("keygen", "--out", tmp_path / "k.key")
    out = tmp_path / "out"
    run("close", "--db", db, "--key", tmp_path / "k.key", "--out", out, "--at", "2018-10-31T17:00:00+08:00")
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    run("reopen", "--db", db, "--reason", "a late letter from Gangwon", "--at", "2018-10-31T17:30:00+08:00")
    run("close", "--db", db, "--key", tmp_path / "k.key", "--out", out, "--at", "2018-10-31T18:00:00+08:00")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == first, "first set untouched"
    again = out / "reopened-1"
    record = json.loads((again / "record.json").read_text())
    assert [c["folder"] for c in record["log"]["closes"]] == [".", "reopened-1"]
    assert record["log"]["closes"][1]["after_reopening"]["reason"] == "a late letter from Gangwon"
    declaration = (again / "declaration.md").read_text()
    assert "The session was closed on 31 October 2018 and reopened on 31 October 2018 " in declaration
    assert "(a late letter from Gangwon)" in declaration
    assert "the declaration signed at the earlier close is kept unchanged beside it" in declaration
    assert run("verify", again, "--pub", tmp_path / "k.key.pub", "--db", db).exit_code == 0


# ------------------------------------------------- --at on every command
# Each command of a replay with its own time in Zhangjiajie (UTC+8).
STEPS = {
    "new": "2018-10-28T18:00:00+08:00", "attendance": "2018-10-29T09:00:00+08:00",
    "letters": "2018-10-29T09:10:00+08:00", "results": "2018-10-29T09:30:00+08:00",
    "votes": "2018-10-29T10:30:00+08:00", "add A1": "2018-10-29T15:00:00+08:00",
    "move A1": "2018-10-29T15:05:00+08:00", "add A2": "2018-10-29T15:10:00+08:00",
    "withdraw A2": "2018-10-29T15:15:00+08:00", "postpone 8": "2018-10-29T15:20:00+08:00",
    "close": "2018-10-31T12:00:00+08:00", "reopen": "2018-10-31T12:30:00+08:00",
    "close again": "2018-10-31T13:00:00+08:00",
}


def test_every_command_that_records_keeps_its_own_stated_time(tmp_path):
    db = str(tmp_path / "s.sqlite")
    out = tmp_path / "out"
    run("keygen", "--out", tmp_path / "k.key")
    votes = tmp_path / "votes-without-8.csv"  # item 8 is postponed below, so the file leaves it out
    votes.write_text("".join(line for line in (SAMPLE / "ga12-2018-votes.csv").read_text().splitlines(True)
                             if not line.startswith("8,")))
    commands = {
        "new": ["new", SAMPLE / "ga12-2018.yaml", "--db", db],
        **{what: ["import", what, "--db", db, SAMPLE / f"ga12-2018-{what}.csv"]
           for what in ("attendance", "letters", "results")},
        "votes": ["import", "votes", "--db", db, votes],
        "add A1": ["agenda", "add", "--db", db, "--id", "A1", "--kind", "decision", "--article", "8.2",
                   "--title", "Delay of the First Collection of the Membership Fee",
                   "--heading", "When the First Fees Are Collected"],
        "move A1": ["agenda", "move", "--db", db, "--item", "A1", "--after", "7"],
        "add A2": ["agenda", "add", "--db", db, "--id", "A2", "--kind", "decision", "--article", "8.11",
                   "--title", "Holding of an Ad-hoc Working Committee When Necessary"],
        "withdraw A2": ["agenda", "withdraw", "--db", db, "--item", "A2", "--reason", "put to a later meeting"],
        "postpone 8": ["agenda", "postpone", "--db", db, "--item", "8", "--reason", "the co-coordinator asked"],
        "close": ["close", "--db", db, "--key", tmp_path / "k.key", "--out", out, "--leave-pending"],
        "reopen": ["reopen", "--db", db, "--reason", "a letter found late"],
        "close again": ["close", "--db", db, "--key", tmp_path / "k.key", "--out", out, "--leave-pending"],
    }
    wrote: dict[str, list] = {}
    seen = 0
    for step, args in commands.items():
        run(*args, "--at", STEPS[step])
        log = events(db)
        wrote[step], seen = log[seen:], len(log)
    for step, written in wrote.items():
        assert written, f"{step} recorded nothing"
        for event in written:
            assert event.payload["at"] == STEPS[step], (step, event.kind)
            assert not event.recorded_at.startswith("2018"), "the log's own clock is kept beside it"

    # The documents of the second close tell the papers' times (UTC: Zhangjiajie less eight hours).
    again = out / "reopened-1"
    minutes = (again / "minutes.md").read_text()
    seq = {step: written[0].seq for step, written in wrote.items()}
    titles = {"8": "Joint Coordination of Subcommittee on Tourism",
              "A1": "Delay of the First Collection of the Membership Fee",
              "A2": "Holding of an Ad-hoc Working Committee When Necessary"}
    for line in (
        f"- Item A1, {titles['A1']}: added during the session as an addendum (2018-10-29 07:00:00 UTC, "
        f"event {seq['add A1']})",
        f"- Item A2, {titles['A2']}: withdrawn (2018-10-29 07:15:00 UTC, event {seq['withdraw A2']}) — put to "
        "a later meeting",
        f"- Item 8, {titles['8']}: postponed (2018-10-29 07:20:00 UTC, event {seq['postpone 8']}) — the "
        "co-coordinator asked",
        f"- Item A1, {titles['A1']}: moved to come after item 7 (2018-10-29 07:05:00 UTC, event {seq['move A1']})",
        f"- Closed 2018-10-31 04:00:00 UTC (event {seq['close']})",
        f"- Reopened 2018-10-31 04:30:00 UTC (event {seq['reopen']}): a letter found late",
        "The session was closed 2018-10-31 05:00:00 UTC",
        "Roll call opened 2018-10-29 02:30:00 UTC, closed 2018-10-29 02:30:00 UTC.",
        "- Anhui Province 安徽省, recorded 2018-10-29 01:10:00 UTC",
    ):
        assert line in minutes, line
    assert re.search(r"\b20(19|2\d)-\d\d-\d\d", minutes) is None, "no date of the replay's own day"
    record = json.loads((again / "record.json").read_text())
    assert (record["log"]["opened_at"], record["log"]["closed_at"]) == (STEPS["new"], STEPS["close again"])
    assert [c["at"] for c in record["log"]["closes"]] == [STEPS["close"], STEPS["close again"]]
    assert record["log"]["closes"][1]["after_reopening"]["at"] == STEPS["reopen"]
    assert {c["recorded_at"] for c in record["attendance_changes"]} == {STEPS["attendance"]}
    assert {letter["recorded_at"] for letter in record["letters"]} == {STEPS["letters"]}
    answers = {h["recorded_at"] for item in record["items"] if "roll_call" in item
               for row in item["roll_call"]["members"] for h in row["history"]}
    assert answers == {STEPS["votes"]}
    declaration = (again / "declaration.md").read_text()
    assert "The session was closed on 31 October 2018 and reopened on 31 October 2018 (a letter found late)." \
        in declaration
    assert "Zhangjiajie City, Hunan Province, China, 31 October 2018." in declaration
    # The addendum under its own --heading, without its id; the minutes keep its id and title.
    assert "### When the First Fees Are Collected\n" in declaration and "A1" not in declaration
    assert titles["A1"] not in declaration
