"""``near-tui agenda …`` and ``near-tui import results``, and the whole 12th GA replayed headless.

The outcomes expected below are the 2018 Annual Report's (Sakha Republic chosen as the next Chair,
Akita admitted, every item and addendum decided); the figures are recounted from the sample's
CSV files by the test itself, never read from the code under test.
"""

from __future__ import annotations

import contextlib
import csv
import json
import shlex
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from near_tui.cli.main import main
from support import AGENDA_DIR, GA12, GA12_ATTENDANCE, GA12_LETTERS, GA12_VOTES

RESULTS = AGENDA_DIR / "ga12-2018-results.csv"
ADDENDA_VOTES = AGENDA_DIR / "ga12-2018-addenda-votes.csv"


def near(*args, cwd=None, check=True):
    """``near-tui ARGS`` in this process (click's runner), run from ``cwd`` as a script would be."""
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        done = invoke(*args)
    if check and done.exit_code != 0:
        raise AssertionError(f"near-tui {' '.join(map(str, args))}: exit {done.exit_code}: {done.stderr} "
                             f"{done.exception!r}")
    return done


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def event_count(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from near_events").fetchone()[0]


def readme_replay() -> list[list[str]]:
    """The replay sequence of agenda/README.md, "Replaying the whole session": one command a line."""
    text = (AGENDA_DIR / "README.md").read_text(encoding="utf-8")
    block = text.split("## Replaying the whole session", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert all(c[0] == "near-tui" for c in commands)
    return [c[1:] for c in commands]


def recount(path: Path, item_id: str) -> Counter:
    with path.open(encoding="utf-8") as f:
        return Counter(row["vote"] for row in csv.DictReader(f) if row["item_id"] == item_id)


# ------------------------------------------------------------ the whole session
def test_the_whole_12th_ga_replays_headless_from_its_papers(tmp_path):
    work = tmp_path / "samples"
    shutil.copytree(AGENDA_DIR, work)
    near("keygen", "--out", work / "ga12.key", cwd=work)
    commands = readme_replay()
    # The README's sequence: the imports, the three addenda, their votes, and the close.
    assert [c[0] for c in commands].count("agenda") == 3
    assert ["import", "results"] == commands[3][:2]
    for command in commands:
        done = near(*command, cwd=work)
    # The close is last; every text of the addenda was given in Chinese too: it warns of none.
    assert commands[-1][0] == "close" and "has no zh" not in done.stderr, done.stderr
    db = work / "ga12.sqlite"
    report = json.loads(near("report", "--db", db, "--json").stdout)

    assert report["session"]["closed"] is True
    # 2018 report: 29 delegations, 50 members took part (21 by letter), 78 members after Akita.
    assert report["attendance"] == {"in_person": 29, "online": 0, "letter": 21, "absent": 28}
    assert report["members_total"] == 78
    items = {i["id"]: i for i in report["items"]}
    assert [i["id"] for i in report["items"]] == ["1", "2", "3", "4", "5", "6", "7", "8", "A1", "A2", "A3"]
    # "The Sakha Republic (Yakutia) ... was chosen to be the next Chair of NEAR."
    assert (items["1"]["status"], items["1"]["outcome"], items["1"]["elected"]) == ("closed", "elected", ["ru-sakha"])
    assert items["1"]["verdict"]["words"] == "ELECTED"
    assert (items["3"]["status"], items["3"]["outcome"]) == ("closed", "noted")
    assert items["2"]["admitted"] == ["jp-akita"]
    for decided in ("2", "4", "5", "6", "7", "8"):
        assert items[decided]["outcome"] == "carried" and "added" not in items[decided]
    # The addenda: added during the session, each decided ("confirmed", "approved", "approved").
    for addendum, rule in (("A1", "two_thirds"), ("A2", "majority"), ("A3", "majority")):
        entry = items[addendum]
        counted = recount(ADDENDA_VOTES, addendum)
        assert entry["added"] is True
        assert (entry["rule"], entry["status"], entry["outcome"]) == (rule, "closed", "carried")
        assert (entry["yes"], entry["no"], entry["abstain"]) == (counted["yes"], counted["no"], counted["abstain"])
        # The 21 letters name no addendum: those members take part but do not vote on it.
        assert entry["not_voting"] == counted["not_voting"] + 21
        assert (entry["participating"], entry["quorum_base"]) == (50, 78)
        assert entry["verdict"]["words"] == "CARRIED"
    # Nothing was left "not taken up": the close needed no --leave-pending and every item is closed.
    assert all(i["status"] == "closed" for i in report["items"])
    record = json.loads((work / "sessions" / "ga12-2018" / "record.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in record["items"]][-3:] == ["A1", "A2", "A3"]
    declaration = (work / "sessions" / "ga12-2018" / "declaration.md").read_text(encoding="utf-8")
    # The addenda are among the decisions, each in the words the README gave it (--carried).
    carried = [c[c.index("--carried") + 1] for c in commands if c[0] == "agenda"]
    assert len(carried) == 3
    for words in carried:
        assert f"\n{words}\n" in declaration, words
    assert "not taken up" not in declaration
    # And in Chinese, in the words each addendum was given with --in zh (the sample is in en and zh).
    chinese = (work / "sessions" / "ga12-2018" / "declaration.zh.md").read_text(encoding="utf-8")
    given = [dict(((c[i + 2]), c[i + 3]) for i, flag in enumerate(c) if flag == "--in" and c[i + 1] == "zh")
             for c in commands if c[0] == "agenda"]
    assert [sorted(g) for g in given] == [["carried", "description", "title"]] * 3
    for texts in given:
        assert f"\n### {texts['title']}\n" in chinese and f"\n{texts['carried']}\n" in chinese, texts
    for words in carried:
        assert words not in chinese
    # Every command states its 2018 time (--at): the documents tell 2018, never the replay's own day.
    assert all("--at" in c for c in commands)
    assert record["log"]["closed_at"] == "2018-10-31T12:00:00+08:00"
    minutes = (work / "sessions" / "ga12-2018" / "minutes.md").read_text(encoding="utf-8")
    assert "The session was closed 2018-10-31 04:00:00 UTC" in minutes  # noon in Zhangjiajie
    assert "Roll call opened 2018-10-29 07:30:00 UTC" in minutes  # the addenda's votes, 15:30 there
    assert near("audit", "--db", db).exit_code == 0


def test_a_withdrawn_item_is_refused_a_vote_and_reported_with_its_reason(tmp_path):
    db = tmp_path / "ga12.sqlite"
    near("new", GA12, "--db", db)
    near("import", "attendance", "--db", db, GA12_ATTENDANCE)
    near("import", "letters", "--db", db, GA12_LETTERS)
    done = near("agenda", "withdraw", "--db", db, "--item", "8", "--reason", "the co-coordinator asked for time")
    assert done.stdout.strip() == "item 8 withdrawn: the co-coordinator asked for time"
    before = event_count(db)
    refused = near("import", "votes", "--db", db, GA12_VOTES, check=False)
    # The first row of item 8 in the votes file is where the file is refused; nothing is written.
    with GA12_VOTES.open(encoding="utf-8") as f:
        first_line = next(n for n, row in enumerate(csv.reader(f), start=1) if row[0] == "8")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (f"near-tui: {GA12_VOTES}:{first_line}: item '8' was withdrawn "
                                      "(the co-coordinator asked for time) — it cannot be voted at this session; "
                                      "add a new item (its own id) if the assembly takes it up after all")
    assert event_count(db) == before
    # Without item 8's rows the file goes in; the close does not wait for the withdrawn item.
    kept = tmp_path / "votes-without-8.csv"
    lines = GA12_VOTES.read_text(encoding="utf-8").splitlines()
    kept.write_text("\n".join(line for line in lines if not line.startswith("8,")) + "\n", encoding="utf-8")
    near("import", "votes", "--db", db, kept)
    near("import", "results", "--db", db, RESULTS)
    report = json.loads(near("report", "--db", db, "--json").stdout)
    item = {i["id"]: i for i in report["items"]}["8"]
    assert (item["status"], item["outcome"], item["reason"]) == ("withdrawn", "withdrawn",
                                                                 "the co-coordinator asked for time")
    assert (item["yes"], item["no"], item["abstain"]) == (0, 0, 0)  # its letters' positions never count
    assert item["verdict"]["words"] == "WITHDRAWN"
    table = near("report", "--db", db).stdout
    assert "⊘ WITHDRAWN:" in table and "co-coordinator" in table  # the reason follows (wrapped at 80)
    near("keygen", "--out", tmp_path / "k.key")
    near("close", "--db", db, "--key", tmp_path / "k.key", "--out", tmp_path / "out")
    assert "not taken up" not in (tmp_path / "out" / "declaration.md").read_text(encoding="utf-8")


def test_postpone_and_move_from_the_command_line(tmp_path):
    db = tmp_path / "ga12.sqlite"
    near("new", GA12, "--db", db)
    assert invoke("agenda", "move", "--db", db, "--item", "8", "--after", "2").exit_code == 0
    done = invoke("agenda", "postpone", "--db", db, "--item", "6", "--reason", "the translation is not ready")
    assert done.exit_code == 0 and done.stdout.strip() == "item 6 postponed: the translation is not ready"
    done = invoke("agenda", "add", "--db", db, "--id", "A1", "--title", "Statement", "--kind", "consensus",
                  "--after", "1", "--carried", "adopted a statement")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.strip() == "added item A1 (consensus) as item 2 of 9"
    report = json.loads(invoke("report", "--db", db, "--json").stdout)
    assert [i["id"] for i in report["items"]] == ["1", "A1", "2", "8", "3", "4", "5", "6", "7"]
    assert {i["id"]: i["status"] for i in report["items"]}["6"] == "postponed"


# ------------------------------------------------------------------ refusals
@pytest.fixture(scope="module")
def session_db(tmp_path_factory):
    """The 12th GA with item 3 noted, item 2 open and item 5 withdrawn."""
    db = tmp_path_factory.mktemp("agenda") / "ga12.sqlite"
    near("new", GA12, "--db", db)
    near("import", "attendance", "--db", db, GA12_ATTENDANCE)
    from near_tui.service.session import Session

    s = Session.open(str(db))
    s.note_item("3")
    s.withdraw_item("5", "not ready")
    s.open_vote("2")
    s.close_log()
    return db


ADD = ("agenda", "add", "--id", "A9", "--title", "An addendum")


@pytest.mark.parametrize("args,line", [
    (ADD + ("--kind", "motion"), "--kind: kind 'motion' is not allowed — use decision, election, consensus, "
                                 "report or presentation"),
    (ADD + ("--kind", "decision"), "--article: decision item 'A9' has no article — add article: \"8.N\""),
    (ADD + ("--kind", "decision", "--article", "9.1"), "--article: article '9.1' is not a Charter Art. 8 clause"),
    (ADD + ("--kind", "report", "--article", "8.11"), "--article: item 'A9' is a report, which is not voted on"),
    (ADD + ("--kind", "decision", "--article", "sub-5.8"),
     "--article: item A9 decides under Subcommittee Regulations Art. 5.8"),
    (ADD + ("--kind", "decision", "--article", "8.11", "--admits", "jp-akita"),
     "--admits: item 'A9' admits members but is not an Art. 8.1 admission"),
    (ADD + ("--kind", "decision", "--article", "8.1", "--admits", "jp-akita"),
     "--admits: 'jp-akita' is already admitted by item '2' — list it under one item only"),
    (ADD + ("--kind", "decision", "--article", "8.1", "--admits", "cn-hunan"),
     "--admits: admits 'cn-hunan', whose status is member — only applicants can be admitted"),
    (ADD + ("--kind", "decision", "--article", "8.1", "--admits", "jp-nowhere"),
     "--admits: admits 'jp-nowhere', which is not on the roster"),
    (ADD + ("--kind", "decision", "--article", "8.1", "--admits", " , "), "--admits: names no applicant"),
    (ADD + ("--kind", "report", "--after", "99"), "--after: there is no agenda item '99' to go after"),
    (ADD + ("--kind", "report", "--in", "zh", "colour", "红"),
     "--in: 'colour' is not a text an item has in several languages — use one of title, description"),
    (ADD + ("--kind", "report", "--in", "zh", "noted", "已注意到。"), "--in: zh noted is given without --noted"),
    (ADD + ("--kind", "report", "--in", "ja", "title", "追加"),
     "--in: ja is not one of this session's languages (en, zh) — give the text in one of zh, or leave"),
    (ADD + ("--kind", "report", "--in", "xx", "title", "追加"),
     "--in: xx is not one of this session's languages (en, zh) ('xx' is not a language near_tui speaks)"),
    # The record language's text is --title's: an --in en would replace it silently.
    (ADD + ("--kind", "report", "--in", "en", "title", "Another title"),
     "--in: en is this session's record language — its title is the one given with --title"),
    (ADD + ("--kind", "election", "--seats", "0"), "--seats: "),
    (ADD + ("--kind", "report", "--description", "line\nbreak"), "--description: item 'A9' description contains a line break (LF, U+000A)"),
    (ADD + ("--kind", "decision", "--article", "8.7", "--carried", "a\x1b[2Jb"),
     "--carried: resolution carried contains a control character (ESC, U+001B)"),
    (("agenda", "add", "--id", "3", "--title", "Again", "--kind", "report"),
     "--id: item id '3' is already on the agenda — give the addendum its own id"),
    (("agenda", "add", "--id", "A9", "--title", "  ", "--kind", "report"), "--title: item 'A9' title is only white space"),
    (("agenda", "withdraw", "--item", "99", "--reason", "x"), "--item: there is no agenda item '99'"),
    (("agenda", "withdraw", "--item", "2", "--reason", "x"), "--item: item '2' is open — only an item not yet taken up"),
    (("agenda", "postpone", "--item", "3", "--reason", "x"), "--item: item '3' is already decided or recorded"),
    (("agenda", "postpone", "--item", "5", "--reason", "x"), "--item: item '5' is already withdrawn — there is nothing to postpone"),
    (("agenda", "withdraw", "--item", "4", "--reason", ""), "--reason: the reason is empty — write the text"),
    (("agenda", "withdraw", "--item", "4", "--reason", "a\u202eb"),
     "--reason: the reason contains a bidirectional-text control (RLO, U+202E)"),
    (("agenda", "move", "--item", "4", "--after", "4"), "--after: item '4' cannot be moved after itself"),
    (("agenda", "move", "--item", "4", "--after", "99"), "--after: there is no agenda item '99' to go after"),
    (("agenda", "move", "--item", "3", "--after", "8"), "--item: item '3' is closed — only an item still to come can be moved"),
    (("agenda", "move", "--item", "99", "--after", "8"), "--item: there is no agenda item '99'"),
])
def test_each_refusal_is_one_line_naming_its_flag_and_writes_nothing(session_db, args, line):
    before = event_count(session_db)
    done = invoke(*args[:2], "--db", session_db, *args[2:])
    assert done.exit_code == 2, done.output
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("near-tui: " + line), done.stderr
    assert done.stderr.isprintable() or done.stderr.endswith("\n") and done.stderr[:-1].isprintable()
    assert event_count(session_db) == before


def test_the_vote_on_a_withdrawn_item_is_refused_by_import_votes(session_db, tmp_path):
    votes = tmp_path / "votes.csv"
    votes.write_text("item_id,member_id,vote\n5,cn-henan,yes\n", encoding="utf-8")
    before = event_count(session_db)
    done = invoke("import", "votes", "--db", session_db, votes)
    assert done.exit_code == 2
    assert done.stderr.startswith(f"near-tui: {votes}:2: item '5' was withdrawn (not ready)")
    assert event_count(session_db) == before


def test_nothing_changes_the_agenda_once_the_session_is_closed(tmp_path):
    db = tmp_path / "s.sqlite"
    near("new", GA12, "--db", db)
    from near_tui.service.session import Session

    s = Session.open(str(db))
    s.close_session(leave_pending=True)
    s.close_log()
    done = invoke("agenda", "add", "--db", db, "--id", "A1", "--title", "Late", "--kind", "report")
    assert done.exit_code == 2
    assert done.stderr.strip() == "near-tui: the session is closed — reopen it explicitly before recording anything"


def test_import_results_records_an_election_a_report_and_a_consensus(tmp_path):
    db = tmp_path / "ga12.sqlite"
    near("new", GA12, "--db", db)
    assert invoke("agenda", "add", "--db", db, "--id", "C1", "--title", "Statement",
                  "--kind", "consensus").exit_code == 0
    results = tmp_path / "results.csv"
    results.write_text("item_id,result,elected\n1,elected,ru-sakha\n3,noted,\nC1,not_adopted,\n", encoding="utf-8")
    done = invoke("import", "results", "--db", db, results)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.strip() == f"{results}: imported results — 3 events recorded"
    items = {i["id"]: i for i in json.loads(invoke("report", "--db", db, "--json").stdout)["items"]}
    assert (items["1"]["outcome"], items["1"]["elected"], items["1"]["elected_names"]) == \
        ("elected", ["ru-sakha"], ["Sakha Republic (Yakutia)"])
    assert items["3"]["outcome"] == "noted"
    assert (items["C1"]["outcome"], items["C1"]["added"]) == ("not_adopted", True)


def test_an_addendum_in_the_session_languages_and_a_warning_for_a_text_left_in_english(tmp_path):
    session_db = tmp_path / "ga12.sqlite"  # its own: the shared one's agenda stays as the tests above read it
    near("new", GA12, "--db", session_db)
    done = invoke("agenda", "add", "--db", session_db, "--id", "A7", "--kind", "report", "--title", "Fees",
                  "--noted", "The assembly took note of the fees.", "--in", "ZH", "title", "会费")  # any case
    assert done.exit_code == 0, done.stderr
    # As `check` says of an agenda file: one line per text the Chinese declaration will give in English.
    assert done.stderr.splitlines() == [
        "--in: item A7 has no zh noted text — the Chinese declaration will use the English one "
        '(add --in zh noted "…")']
    from near_tui.service.session import Session

    session = Session.open(str(session_db), readonly=True)
    try:
        item = session.state.items["A7"].item
        assert (item.title, item.text("title", "zh")) == ("Fees", "会费")
        assert item.text("noted", "zh") == "The assembly took note of the fees."  # the record's own
    finally:
        session.close_log()
    assert near("audit", "--db", session_db).exit_code == 0  # replayed from the log, as stored


def test_close_names_each_text_the_chinese_declaration_gives_in_english(tmp_path):
    """An addendum left partly in English is closed all the same; the close says, in the words
    `near-tui check` uses for an agenda file, each text the Chinese declaration gives in English."""
    db = tmp_path / "ga12.sqlite"
    near("new", GA12, "--db", db)
    near("agenda", "add", "--db", db, "--id", "A7", "--kind", "decision", "--article", "8.11",
         "--title", "Youth Exchanges", "--carried", "The General Assembly approved youth exchanges.",
         "--not-carried", "The General Assembly did not approve youth exchanges.",
         "--in", "zh", "title", "青年交流", "--in", "zh", "not-carried", "全体会议未批准青年交流。")
    near("keygen", "--out", tmp_path / "k.key")
    done = near("close", "--db", db, "--key", tmp_path / "k.key", "--out", tmp_path / "out", "--leave-pending")
    # The agenda file gives every text in both languages (check warns of none): only A7's are said.
    assert done.stderr.splitlines() == [
        f"{db}: item A7 has no zh resolution (carried) — the Chinese declaration will use the English one"]
    chinese = (tmp_path / "out" / "declaration.zh.md").read_text(encoding="utf-8")
    assert "### 青年交流\n" in chinese
