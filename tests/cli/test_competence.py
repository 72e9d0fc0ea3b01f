"""What a Working Committee may decide, through the CLI (docs/rules.md, "What each body decides").

Charter Art. 9-2 gives the Working Committee Art. 8 clauses 1, 7 and 8, Subcommittee Regulations
Art. 5.8 gives it coordinator replacements, Art. 11.5 whatever the General Assembly delegated.
Every expected figure is counted here from the answers the test writes.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from support import member

DELEGATION = "12th General Assembly (Zhangjiajie, 29 October 2018), item 6"


def near(*args, check=True, stdin=None):
    proc = subprocess.run([sys.executable, "-m", "near_tui", *map(str, args)],
                          capture_output=True, text=True, timeout=120, input=stdin)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
    return proc


MEMBERS = [member("jp-a"), member("jp-b"), member("kr-c", country="KR"), member("kr-d", country="KR"),
           member("mn-e", country="MN")]


def agenda(tmp_path, items, body="working_committee", rules=None):
    """An agenda in block style, so that each key stands on its own line."""
    doc = {
        "session": {"id": "wc-test", "title": "Working Committee", "body": body,
                    "venue": "Test Hall", "opens": "2019-09-10"},
        "roster": MEMBERS,
        **({"rules": rules} if rules else {}),
        "items": items,
    }
    path = tmp_path / "agenda.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def decision(item_id, article, **more):
    return {"id": item_id, "title": f"Decision under {article}", "kind": "decision", "article": article, **more}


def line_of(path, text):
    """The 1-based line of the file holding ``text`` (found by the test, not by near_tui)."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize("article, subject", [("8.3", "Charter amendment"), ("8.4", "dissolution"),
                                              ("8.2", "membership fees")])
def test_a_working_committee_cannot_decide_a_general_assembly_matter_without_delegation(tmp_path, article, subject):
    path = agenda(tmp_path, [decision("1", "8.7"), decision("4", article)])
    db = tmp_path / "s.sqlite"
    for args in (("check", path), ("new", path, "--db", db)):
        proc = near(*args, check=False)
        assert proc.returncode == 2, subject
        assert proc.stdout == "" and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
        where = line_of(path, f"article: '{article}'")
        assert proc.stderr.startswith(f"near-tui: {path}:{where}: item 4 decides under Charter Art. {article}, ")
        assert "Charter Art. 9-2, 11.5" in proc.stderr and "delegated_by" in proc.stderr
    assert not db.exists()  # nothing written


@pytest.mark.parametrize("article", ["8.1", "8.7", "8.8", "sub-5.8"])
def test_the_working_committees_own_decisions_pass(tmp_path, article):
    path = agenda(tmp_path, [decision("1", article)])
    assert ": ok — wc-test: 1 items (1 decisions)" in near("check", path).stdout


def test_a_delegated_decision_is_voted_and_the_record_cites_the_delegation(tmp_path):
    items = [
        decision("4", "8.3", delegated_by=DELEGATION),
        {"id": "5", "title": "Work plan", "kind": "consensus", "delegated_by": "13th General Assembly, item 2"},
    ]
    path = agenda(tmp_path, items)
    db = tmp_path / "s.sqlite"
    assert ": ok — " in near("check", path).stdout
    near("new", path, "--db", db)
    (tmp_path / "att.csv").write_text("member_id,mode\njp-a,in_person\njp-b,in_person\nkr-c,online\n"
                                      "kr-d,in_person\nmn-e,absent\n", encoding="utf-8")
    votes = [("jp-a", "yes"), ("jp-b", "yes"), ("kr-c", "yes"), ("kr-d", "no")]
    (tmp_path / "votes.csv").write_text("item_id,member_id,vote\n" + "".join(f"4,{m},{v}\n" for m, v in votes),
                                        encoding="utf-8")
    near("import", "attendance", "--db", db, tmp_path / "att.csv")
    near("import", "votes", "--db", db, tmp_path / "votes.csv")

    report = json.loads(near("report", "--db", db, "--json").stdout)
    item = report["items"][0]
    yes = sum(v == "yes" for _, v in votes)
    no = sum(v == "no" for _, v in votes)
    assert (item["yes"], item["no"], item["cast"]) == (yes, no, yes + no)  # 3 yes of 4 cast
    assert item["rule"] == "two_thirds" and item["outcome"] == "carried"  # 3*3 >= 2*4 under Art. 9.2
    assert item["delegated_by"] == DELEGATION
    assert report["items"][1]["delegated_by"] == "13th General Assembly, item 2"
    assert "reading" not in item  # an Art. 9 decision has no 5.8 reading

    key = tmp_path / "keys" / "k.key"
    near("keygen", "--out", key)
    out = tmp_path / "out"
    near("close", "--db", db, "--key", key, "--out", out, "--leave-pending")  # item 5 is not taken up
    text = " ".join((out / "declaration.md").read_text(encoding="utf-8").split())
    assert (f"Delegated to the Working Committee by the General Assembly (Charter Art. 11.5): {DELEGATION}."
            in text)
    assert "(Charter Art. 11.5): 13th General Assembly, item 2." in text
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert record["items"][0]["delegated_by"] == DELEGATION
    # The item the close left pending reads "not taken up" in the record and the report, as the
    # minutes say, never "pending" in a session that is over.
    assert [i["outcome"] for i in record["items"]] == ["carried", "not_taken_up"]
    assert "Not taken up: left pending at the close." in (out / "minutes.md").read_text(encoding="utf-8")
    after = json.loads(near("report", "--db", db, "--json").stdout)
    assert [i["outcome"] for i in after["items"]] == ["carried", "not_taken_up"]


def test_a_general_assembly_refuses_a_58_item_and_a_delegation(tmp_path):
    path = agenda(tmp_path, [decision("9", "sub-5.8")], body="general_assembly")
    proc = near("check", path, check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert f"{path}:{line_of(path, 'article: sub-5.8')}: item 9 decides under Subcommittee Regulations Art. 5.8" in proc.stderr
    assert "Working Committee" in proc.stderr and 'article: "8.11"' in proc.stderr

    path = agenda(tmp_path, [decision("4", "8.3", delegated_by=DELEGATION)], body="general_assembly")
    proc = near("check", path, check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert f"{path}:{line_of(path, 'delegated_by')}: item 4 has delegated_by" in proc.stderr

    # The same coordinator question, put to the General Assembly under its own clause, passes.
    path = agenda(tmp_path, [decision("9", "8.11")], body="general_assembly")
    assert ": ok — " in near("check", path).stdout
