"""Agenda and roster files: each mistake gets its own one-line FILE:LINE message."""

from __future__ import annotations

import textwrap

import pytest

from near_tui.agenda_file import load_agenda
from near_tui.errors import InputError

from helpers import GA12

HEAD = """\
session: {id: t-1, title: "Test", body: general_assembly, venue: "Hall", opens: 2024-05-01}
roster:
  - {id: jp-a, name: A, country: JP, status: member, voting: full}
  - {id: jp-b, name: B, country: JP, status: applicant, voting: full}
  - {id: kr-c, name: C, country: KR, status: observer, voting: full}
"""


def load(tmp_path, text, name="agenda.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_agenda(path)


def error_of(tmp_path, text) -> InputError:
    with pytest.raises(InputError) as info:
        load(tmp_path, text)
    return info.value


def test_the_12th_ga_sample_loads():
    d = load_agenda(GA12)
    statuses = [m.status for m in d.members]
    assert statuses.count("member") == 77
    assert statuses.count("applicant") == 1 and statuses.count("associate") == 1
    assert [i.id for i in d.items] == [str(n) for n in range(1, 9)]
    assert d.items[1].admits == ["jp-akita"]


def test_inline_roster_and_defaults(tmp_path):
    d = load(tmp_path, HEAD + 'items:\n  - {id: 1, title: Budget, kind: decision, article: "8.7"}\n')
    assert d.items[0].id == "1"  # a bare number is the item called "1"
    assert d.rules.abstentions_count_as_cast is False and d.rules.restricted_count_toward_quorum is True


@pytest.mark.parametrize("items, line, words", [
    ('  - {id: "1", title: X, kind: decision}\n', 7, "has no article"),
    ('  - {id: "1", title: X, kind: decision, article: "9.1"}\n', 7, "not a Charter Art. 8 clause"),
    ('  - {id: "1", title: X, kind: vote, article: "8.1"}\n', 7, "kind 'vote' is not allowed"),
    ('  - {id: "1", title: X, kind: report, article: "8.1"}\n', 7, "not voted on"),
    ('  - {id: "1", title: X, kind: decision, article: "8.7", admits: [jp-b]}\n', 7, "not an Art. 8.1"),
    ('  - {id: "1", title: X, kind: decision, article: "8.1", admits: [jp-zz]}\n', 7, "not on the roster"),
    ('  - {id: "1", title: X, kind: decision, article: "8.1", admits: [jp-a]}\n', 7, "only applicants"),
    ('  - {id: "1", title: X, kind: report}\n  - {id: "1", title: Y, kind: report}\n', 8, "used twice"),
    ('  - {id: "1", title: X, kind: report, colour: red}\n', 7, "unknown key 'colour'"),
    ('  - {id: "1", title: [X], kind: report}\n', 7, "must be text"),

])
def test_item_errors(tmp_path, items, line, words):
    err = error_of(tmp_path, HEAD + "items:\n" + items)
    assert err.line == line
    assert words in err.message
    assert str(err).startswith(f"{tmp_path / 'agenda.yaml'}:{line}: ")
    assert "\n" not in str(err)


def test_unquoted_articles_are_read_as_written(tmp_path):
    # YAML would read 8.10 as the number 8.1 — a two-thirds rule instead of a majority.
    d = load(tmp_path, HEAD + "items:\n  - {id: '1', title: X, kind: decision, article: 8.10}\n"
                             "  - {id: '2', title: Y, kind: decision, article: 8.1}\n")
    assert [i.article for i in d.items] == ["8.10", "8.1"]


def test_duplicate_member_id(tmp_path):
    text = HEAD + "  - {id: jp-a, name: A2, country: JP, status: member, voting: full}\nitems:\n  - {id: '1', title: X, kind: report}\n"
    err = error_of(tmp_path, text)
    assert (err.line, "listed twice" in err.message) == (6, True)


def test_wrong_types_and_values(tmp_path):
    err = error_of(tmp_path, HEAD.replace("opens: 2024-05-01", "opens: soon") + "items:\n  - {id: '1', title: X, kind: report}\n")
    assert err.line == 1 and "YYYY-MM-DD" in err.message
    err = error_of(tmp_path, HEAD.replace("status: member", "status: boss") + "items:\n  - {id: '1', title: X, kind: report}\n")
    assert err.line == 3 and "member, associate, observer or applicant" in err.message
    err = error_of(tmp_path, HEAD + "rules: {abstentions_count_as_cast: maybe}\nitems:\n  - {id: '1', title: X, kind: report}\n")
    assert err.line == 6 and "true or false" in err.message
    err = error_of(tmp_path, HEAD + "items: []\n")
    assert err.line == 6 and "empty" in err.message


def test_missing_key_names_the_parent_line(tmp_path):
    text = HEAD.replace(', venue: "Hall"', "") + "items:\n  - {id: '1', title: X, kind: report}\n"
    err = error_of(tmp_path, text)
    assert err.line == 1 and "missing key 'venue'" in err.message


def test_yaml_syntax_errors_and_tabs(tmp_path):
    err = error_of(tmp_path, HEAD + "items:\n  - {id: '1', title: X\n")
    assert "YAML syntax error" in err.message
    err = error_of(tmp_path, HEAD + "items:\n\t- {id: '1', title: X, kind: report}\n")
    assert err.line == 7 and "tabs" in err.message


def test_duplicate_keys_are_refused(tmp_path):
    err = error_of(tmp_path, HEAD + "items:\n  - {id: '1', title: X, kind: report}\nitems: []\n")
    assert err.line == 8 and "appears twice" in err.message


def test_roster_file_errors_point_into_the_roster(tmp_path):
    (tmp_path / "members.yaml").write_text("members:\n  - {id: jp-a, name: A, country: jp}\n", encoding="utf-8")
    err = error_of(tmp_path, HEAD.split("roster:")[0] + "roster: members.yaml\nitems:\n  - {id: '1', title: X, kind: report}\n")
    assert err.file.endswith("members.yaml") and err.line == 2 and "upper-case" in err.message
    err = error_of(tmp_path, HEAD.split("roster:")[0] + "roster: nowhere.yaml\nitems:\n  - {id: '1', title: X, kind: report}\n")
    assert err.line == 2 and "not found" in err.message


def test_non_utf8_and_empty_files(tmp_path):
    path = tmp_path / "agenda.yaml"
    path.write_bytes(b"session: {id: t}\n# caf\xe9\n")
    with pytest.raises(InputError, match=r":2: not UTF-8"):
        load_agenda(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r":1: the file is empty"):
        load_agenda(path)


def test_bom_and_crlf_are_fine(tmp_path):
    text = HEAD + "items:\n  - {id: '1', title: X, kind: report}\n"
    path = tmp_path / "agenda.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert load_agenda(path).items[0].title == "X"


# --- which body may decide what (Charter Art. 9-2, 11.5; Subcommittee Regs Art. 5.8) -----------
WC_HEAD = HEAD.replace("body: general_assembly", "body: working_committee")


def test_a_working_committee_item_outside_its_competence_is_refused_at_its_article_line(tmp_path):
    text = WC_HEAD + (
        "items:\n"
        "  - id: '1'\n"
        "    title: Budget 2025\n"
        "    kind: decision\n"
        "    article: '8.7'\n"
        "  - id: '4'\n"
        "    title: Charter amendment\n"
        "    kind: decision\n"
        "    article: '8.3'\n"
    )
    err = error_of(tmp_path, text)
    assert err.line == 14  # item 4's article line: HEAD is lines 1-5, items: 6, item 1 7-10, item 4 11-14
    assert err.message == (
        "item 4 decides under Charter Art. 8.3, which a Working Committee may decide only when the "
        "General Assembly delegated it (Charter Art. 9-2, 11.5) — add delegated_by: "
        "\"<the General Assembly decision>\" or hold the item at a General Assembly")


def test_delegated_by_is_kept_and_stripped(tmp_path):
    d = load(tmp_path, WC_HEAD + "items:\n  - {id: '4', title: X, kind: decision, article: '8.3', "
                                 "delegated_by: '  13th General Assembly, item 9  '}\n")
    assert d.items[0].delegated_by == "13th General Assembly, item 9"


@pytest.mark.parametrize("head, items, line, words", [
    (WC_HEAD, "  - {id: '4', title: X, kind: decision, article: '8.3', delegated_by: '   '}\n", 7,
     "delegated_by is empty — name the General Assembly decision"),
    (WC_HEAD, "  - {id: '4', title: X, kind: decision, article: '8.3', delegated_by: 12}\n", 7, "must be text"),
    (WC_HEAD, "  - {id: '3', title: X, kind: report, delegated_by: 'GA 12, item 5'}\n", 7,
     "item 3 is a report, which decides nothing"),
    (HEAD, "  - {id: '4', title: X, kind: decision, article: '8.3', delegated_by: 'GA 12, item 5'}\n", 7,
     "a General Assembly decides under Charter Art. 8 without delegation — remove delegated_by"),
    (HEAD, "  - {id: '9', title: X, kind: decision, article: 'sub-5.8'}\n", 7,
     "item 9 decides under Subcommittee Regulations Art. 5.8, which gives coordinator replacements to the "
     "Working Committee"),
])
def test_competence_errors(tmp_path, head, items, line, words):
    err = error_of(tmp_path, head + "items:\n" + items)
    assert (err.line, words in err.message) == (line, True), err.message
    assert "\n" not in str(err)


def test_the_58_reading_option(tmp_path):
    d = load(tmp_path, WC_HEAD + "rules: {sub58_majority_of: members_with_vote}\n"
                                 "items:\n  - {id: '1', title: X, kind: decision, article: 'sub-5.8'}\n")
    assert d.rules.sub58_majority_of == "members_with_vote"
    assert load(tmp_path, WC_HEAD + "items:\n  - {id: '1', title: X, kind: report}\n").rules.sub58_majority_of \
        == "votes_cast"
    err = error_of(tmp_path, WC_HEAD + "rules: {sub58_majority_of: everyone}\n"
                                       "items:\n  - {id: '1', title: X, kind: report}\n")
    assert err.line == 6 and "sub58_majority_of 'everyone' is not allowed — use votes_cast" in err.message
