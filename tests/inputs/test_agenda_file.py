"""Agenda and roster files: each mistake gets its own one-line FILE:LINE message."""

from __future__ import annotations

import textwrap

import pytest

from near_tui.core.errors import InputError
from near_tui.inputs.agenda_file import load_agenda
from support import GA12

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


# ---------------------------------------------------------------- text from files
# Names, titles, the venue and descriptions are shown on the terminal and signed in the
# declaration: hostile or invisible characters are refused on loading (docs/decisions.md).

from click.testing import CliRunner  # noqa: E402

from near_tui.cli.main import main  # noqa: E402
from near_tui.core.definition import SessionDefinition  # noqa: E402
from near_tui.core.schema import check_display_text  # noqa: E402

# Each slot is where one case puts its value; the line is counted from this text.
TEXT_AGENDA = """\
session:
  id: t-1
  title: @SESSION_TITLE@
  body: general_assembly
  venue: @VENUE@
  opens: 2024-05-01
roster: @ROSTER@
items:
  - {id: "1", title: Budget, kind: report}
  - id: "2"
    title: @ITEM_TITLE@
    kind: report
    description: @DESCRIPTION@
"""
TEXT_MEMBERS = """\
  - {id: jp-a, name: Aomori, country: JP}
  - {id: kr-b, name: @NAME@, country: KR}
"""
DEFAULTS = {"@SESSION_TITLE@": '"Test"', "@VENUE@": '"Hall"', "@ITEM_TITLE@": '"Fees"',
            "@DESCRIPTION@": '"One paragraph."', "@NAME@": '"Busan"'}

# (id, the value as written in the YAML file, the character the message must name, its position
# in the value as YAML reads it). Written in YAML's double-quoted escapes, so the file itself is text.
BAD_CHARACTERS = [
    ("esc-sequence", r'"Fees\e[2J"', "ESC", 0x1B, 5),
    ("esc-hex", r'"Fees\x1b[31m"', "ESC", 0x1B, 5),
    ("osc-title", r'"Fees \e]0;owned\a"', "ESC", 0x1B, 6),
    ("bel", r'"Fees\a"', "BEL", 0x07, 5),
    ("nul", r'"Fe\0es"', "NUL", 0x00, 3),
    ("tab", r'"Fe\tes"', "TAB", 0x09, 3),
    ("cr", r'"Fe\res"', "CR", 0x0D, 3),
    ("lf-in-quoted", r'"Fe\nes"', "LF", 0x0A, 3),
    ("vt", r'"Fe\ves"', "VT", 0x0B, 3),
    ("del", r'"Fees\x7f"', "DEL", 0x7F, 5),
    ("nel", r'"Fe\Nes"', "NEL", 0x85, 3),
    ("c1-csi", r'"Fe\x9b2J"', "CSI", 0x9B, 3),
    ("lre", r'"Fe\u202aes"', "LRE", 0x202A, 3),
    ("rle", r'"Fe\u202bes"', "RLE", 0x202B, 3),
    ("pdf", r'"Fe\u202ces"', "PDF", 0x202C, 3),
    ("lro", r'"Fe\u202des"', "LRO", 0x202D, 3),
    ("rlo", r'"Fe\u202ees"', "RLO", 0x202E, 3),
    ("lri", r'"Fe\u2066es"', "LRI", 0x2066, 3),
    ("rli", r'"Fe\u2067es"', "RLI", 0x2067, 3),
    ("fsi", r'"Fe\u2068es"', "FSI", 0x2068, 3),
    ("pdi", r'"Fe\u2069es"', "PDI", 0x2069, 3),
    ("line-separator", r'"Fe\Les"', "LS", 0x2028, 3),
    ("paragraph-separator", r'"Fe\Pes"', "PS", 0x2029, 3),
    ("lrm", r'"Fe\u200ees"', "LRM", 0x200E, 3),
    ("rlm", r'"Fe\u200fes"', "RLM", 0x200F, 3),
    ("alm", r'"Fe\u061ces"', "ALM", 0x061C, 3),
    ("zero-width-space", r'"Fe\u200bes"', "ZWSP", 0x200B, 3),
    ("zero-width-no-break-space", r'"Fe\ufeffes"', "ZWNBSP", 0xFEFF, 3),
    ("lone-surrogate", r'"Fe\ud800es"', "surrogate", 0xD800, 3),
    # Surrounding spaces are stripped, but the position is counted in the value as written.
    ("after-leading-spaces", r'"  Fe\ees"', "ESC", 0x1B, 5),
]
BLANK_VALUES = [
    ("spaces", '"   "', "is only white space"),
    ("full-width-spaces", '"\u3000\u3000"', "is only white space"),
    ("no-break-spaces", r'"\_\_"', "is only white space"),
    ("tab-and-newline", r'"\t\n"', "is only white space"),
    ("empty", '""', "is empty"),
]
# (slot, whether the roster is a file of its own, what the message calls the value)
TEXT_SLOTS = [
    ("@SESSION_TITLE@", False, "session title"),
    ("@VENUE@", False, "session venue"),
    ("@ITEM_TITLE@", False, "item '2' title"),
    ("@DESCRIPTION@", False, "item '2' description"),
    ("@NAME@", False, "member 'kr-b' name"),
    ("@NAME@", True, "member 'kr-b' name"),
]


def write_text_agenda(folder, slot: str, value: str, separate_roster: bool):
    """Write the agenda (and roster file); return (the file the error must name, its line)."""
    values = {**DEFAULTS, slot: value}
    members = TEXT_MEMBERS
    agenda = TEXT_AGENDA
    if separate_roster:
        agenda = agenda.replace("@ROSTER@", "members.yaml")
        members = "members:\n" + members
        target_text, target = members, folder / "members.yaml"
    else:
        agenda = agenda.replace("@ROSTER@\n", "\n" + members)
        target_text, target = agenda, folder / "agenda.yaml"
    # The line the value stands on, counted in the fixture's own text.
    line = target_text.splitlines().index(next(ln for ln in target_text.splitlines() if slot in ln)) + 1
    for key, text in values.items():
        agenda, members = agenda.replace(key, text), members.replace(key, text)
    (folder / "agenda.yaml").write_text(agenda, encoding="utf-8")
    if separate_roster:
        (folder / "members.yaml").write_text(members, encoding="utf-8")
    return target, line


def refused_line(folder, target, line) -> str:
    """Run `check` and `new` on the agenda; both refuse it in one line and `new` writes nothing."""
    agenda = folder / "agenda.yaml"
    db = folder / "new.sqlite"
    runner = CliRunner()
    lines = []
    for args in (["check", str(agenda)], ["new", str(agenda), "--db", str(db)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, repr(result.stderr)
        message = result.stderr[:-1]
        assert message.startswith(f"near-tui: {target}:{line}: "), message
        # Nothing in the message acts on a terminal or hides: no control, format or separator character.
        assert message.isprintable(), ascii(message)
        lines.append(message)
    assert not db.exists()
    assert lines[0] == lines[1]
    return lines[0]


def test_the_fixture_is_valid_as_it_stands(tmp_path):
    for separate in (False, True):
        write_text_agenda(tmp_path, "@NAME@", '"Busan"', separate)
        d = load_agenda(tmp_path / "agenda.yaml")
        assert [m.name for m in d.members] == ["Aomori", "Busan"]
        assert (d.session.title, d.session.venue, d.items[1].title, d.items[1].description) == (
            "Test", "Hall", "Fees", "One paragraph.")


@pytest.mark.parametrize("slot,separate,what", TEXT_SLOTS, ids=[f"{s.strip('@').lower()}{'-file' if f else ''}"
                                                                  for s, f, _ in TEXT_SLOTS])
@pytest.mark.parametrize("case,value,short,code,position", BAD_CHARACTERS, ids=[c[0] for c in BAD_CHARACTERS])
def test_hostile_text_is_refused_by_name(tmp_path, slot, separate, what, case, value, short, code, position):
    target, line = write_text_agenda(tmp_path, slot, value, separate)
    message = refused_line(tmp_path, target, line)
    assert f": {what} contains " in message
    assert f"({short}, U+{code:04X})" in message
    assert f"at position {position} — " in message
    assert chr(code) not in message


@pytest.mark.parametrize("slot,separate,what", TEXT_SLOTS, ids=[f"{s.strip('@').lower()}{'-file' if f else ''}"
                                                                  for s, f, _ in TEXT_SLOTS])
@pytest.mark.parametrize("case,value,says", BLANK_VALUES, ids=[c[0] for c in BLANK_VALUES])
def test_blank_text_is_refused(tmp_path, slot, separate, what, case, value, says):
    target, line = write_text_agenda(tmp_path, slot, value, separate)
    message = refused_line(tmp_path, target, line)
    assert f": {what} {says} — " in message


def test_a_control_character_in_an_item_id_is_refused(tmp_path):
    text = HEAD + 'items:\n  - {id: "1", title: X, kind: report}\n  - {id: "\\e[2J", title: Y, kind: report}\n'
    err = error_of(tmp_path, text)
    assert err.line == 8 and "item id contains a control character (ESC, U+001B) at position 1" in err.message


@pytest.mark.parametrize("block, says", [
    # A literal block keeps its line breaks: a description is one paragraph.
    ("|\n      First line.\n      Second line.\n", "(LF, U+000A) at position 12"),
    # A folded block with a blank line keeps a line break too.
    (">\n      First paragraph.\n\n      Second paragraph.\n", "(LF, U+000A) at position 17"),
])
def test_a_description_of_several_lines_is_refused(tmp_path, block, says):
    text = HEAD + 'items:\n  - id: "1"\n    title: X\n    kind: report\n    description: ' + block
    err = error_of(tmp_path, text)
    assert err.line == 10 and "item '1' description contains a line break" in err.message
    assert says in err.message


# Raw characters in the file: the YAML reader refuses most controls itself; NEL, LS and PS it
# would take for line ends (and shift every line number after them); the rest reach the check.
@pytest.mark.parametrize("raw, says", [
    ("\x1b[2J", "contains a control character (ESC, U+001B) — "),
    ("\x07", "contains a control character (BEL, U+0007) — "),
    ("\x7f", "contains a control character (DEL, U+007F) — "),
    ("\x9b", "contains a control character (CSI, U+009B) — "),
    ("\x85", "contains a line break (NEL, U+0085) — "),
    ("\u2028", "contains a line break (LS, U+2028) — "),
    ("\u2029", "contains a line break (PS, U+2029) — "),
    ("\u202e", "item '2' title contains a bidirectional-text control (RLO, U+202E) at position 4 — "),
    ("\u2066", "item '2' title contains a bidirectional-text control (LRI, U+2066) at position 4 — "),
    ("\t", "item '2' title contains a tab (TAB, U+0009) at position 4 — "),
    ("\u200b", "item '2' title contains an invisible formatting character (ZWSP, U+200B) at position 4 — "),
])
def test_raw_characters_in_the_file(tmp_path, raw, says):
    text = HEAD + 'items:\n  - {id: "1", title: X, kind: report}\n  - {id: "2", title: "Fee' + raw + 's", kind: report}\n'
    path = tmp_path / "agenda.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(raw)].count("\n") + 1
    assert line == 8
    message = refused_line(tmp_path, path, line)
    assert says in message


def test_a_raw_control_character_in_a_comment_is_refused_on_its_line(tmp_path):
    text = HEAD + "# fees \x1b]0;x\x07\nitems:\n  - {id: '1', title: X, kind: report}\n"
    err = error_of(tmp_path, text)
    assert err.line == 6 and "ESC, U+001B" in err.message


# Names as the members write them, in every script of the association, and brackets.
GOOD_NAMES = ["黑龙江省", "青森県", "부산광역시", "Улаанбаатар хот", "Приморский край",
              "Heilongjiang Province [North-East China]", "Hubei [/] Province",
              "ᠥᠪᠥᠷ ᠮᠣᠩᠭᠣᠯ", "ᠬᠠᠳᠠ\u180eᠠ",  # traditional Mongolian, with its vowel separator
              "Gyeongsangbuk-do (경상북도)", "Sakha (Yakutia) Republic — Саха Өрөспүүбүлүкэтэ",
              "Ho Chi Minh\u00a0City", "Tỉnh Quảng Ninh", "O'Higgins & Co. #1 100%",
              "emoji \U0001F1EF\U0001F1F5 \U0001F468\u200d\U0001F469"]  # a zero-width joiner is accepted


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_names_in_every_script_are_accepted(tmp_path, name):
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    for separate in (False, True):
        write_text_agenda(tmp_path, "@NAME@", quoted, separate)
        result = CliRunner().invoke(main, ["check", str(tmp_path / "agenda.yaml")])
        assert result.exit_code == 0 and ": ok — t-1: 2 items" in result.stdout, result.output
        assert load_agenda(tmp_path / "agenda.yaml").members[1].name == name
    for slot in ("@SESSION_TITLE@", "@VENUE@", "@ITEM_TITLE@", "@DESCRIPTION@"):
        write_text_agenda(tmp_path, slot, quoted, False)
        assert CliRunner().invoke(main, ["check", str(tmp_path / "agenda.yaml")]).exit_code == 0


def test_surrounding_white_space_and_folded_blocks_are_stripped(tmp_path):
    text = HEAD.replace('name: A,', 'name: "\u3000Aomori\u00a0 ",').replace('title: "Test"', 'title: "\\tTest\\n"') + (
        "items:\n  - id: '1'\n    title: '  Fees  '\n    kind: report\n    description: >\n"
        "      One paragraph\n      on two lines.\n")
    d = load(tmp_path, text)
    assert d.members[0].name == "Aomori" and d.session.title == "Test"
    assert d.items[0].title == "Fees" and d.items[0].description == "One paragraph on two lines."


def test_a_stored_session_is_replayed_as_written():
    # A session opened before the check (a folded description kept its final line end) must
    # replay exactly, or its signed declaration would no longer rebuild to the same bytes.
    payload = {"session": {"id": "s", "title": "T", "body": "general_assembly", "venue": "V", "opens": "2018-10-29"},
               "rules": {}, "items": [{"id": "1", "title": "X", "kind": "report", "description": "Two\nlines\n"}],
               "members": [{"id": "jp-a", "name": " A ", "country": "JP"}]}
    d = SessionDefinition.from_payload(payload)
    assert d.items[0].description == "Two\nlines\n" and d.members[0].name == " A "
    assert SessionDefinition.from_payload(d.to_payload()) == d


def test_check_display_text_for_other_callers():
    assert check_display_text("  Quorum not reached\n", "--reason") == "Quorum not reached"
    with pytest.raises(ValueError) as info:
        check_display_text("ok\x1b]0;x\x07", "--reason")
    assert str(info.value).startswith("--reason contains a control character (ESC, U+001B) at position 3 — ")
    assert "\x1b" not in str(info.value) and "\x07" not in str(info.value)
    with pytest.raises(ValueError, match=r"^--title is only white space"):
        check_display_text("\u3000", "--title")

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
     "item '4' delegated_by is only white space — write the text"),
    (WC_HEAD, "  - {id: '4', title: X, kind: decision, article: '8.3', delegated_by: \"GA 12\\e[2J\"}\n", 7,
     "item '4' delegated_by contains a control character (ESC, U+001B) at position 6"),
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


# --- the declaration's own words: where each key belongs, every text checked ----------
DECL_ITEMS = """\
items:
  - id: "1"
    title: Next Chair
    kind: election
    office: "Chair of NEAR for 2018–2020"
  - id: "2"
    title: Certificates
    kind: decision
    article: "8.11"
    resolution: {carried: "Certificates were approved.", not_carried: "Certificates were not approved."}
  - id: "3"
    title: Secretariat report
    kind: report
    noted: "The assembly took note of the report."
  - id: "4"
    title: Theme
    kind: consensus
    resolution: {carried: "The theme was adopted."}
"""


def test_declaration_keys_are_read_where_they_belong(tmp_path):
    text = HEAD.replace("opens: 2024-05-01", "opens: 2024-05-01, closes: 2024-05-03") + (
        "declaration:\n"
        "  preamble: ['  The assembly reaffirmed its principles. ', 'It looked ahead.']\n"
        "  closing: 'The members agreed to uphold this Declaration.'\n"
        "  signatories: [{name: 'Xu Dazhe', title: 'Chair of NEAR'}]\n"
        "  tallies: true\n") + DECL_ITEMS
    d = load(tmp_path, text)
    assert str(d.session.closes) == "2024-05-03"
    assert d.declaration.preamble == ["The assembly reaffirmed its principles.", "It looked ahead."]
    assert d.declaration.closing == "The members agreed to uphold this Declaration."
    assert [(s.name, s.title) for s in d.declaration.signatories] == [("Xu Dazhe", "Chair of NEAR")]
    assert d.declaration.tallies is True
    office, decision, report, consensus = d.items
    assert office.office == "Chair of NEAR for 2018–2020"
    assert decision.resolution.carried == "Certificates were approved."
    assert report.noted == "The assembly took note of the report."
    assert consensus.resolution.not_carried is None
    # Stored and replayed, the declaration's words come back the same.
    assert SessionDefinition.from_payload(d.to_payload()) == d


def test_an_agenda_without_declaration_keys_stores_none_of_them(tmp_path):
    d = load(tmp_path, HEAD + 'items:\n  - {id: "1", title: X, kind: report}\n')
    payload = d.to_payload()
    assert d.declaration is None and "declaration" not in payload
    assert set(payload["items"][0]) == {"id", "title", "kind", "article", "admits", "description", "seats"}


@pytest.mark.parametrize("item, line, words", [
    ('  - {id: "3", title: R, kind: report,\n     resolution: {carried: "Done."}}\n', 8,
     "item '3' is a report, and resolution belongs only to a decision or consensus item — remove resolution"),
    ('  - {id: "1", title: E, kind: election, resolution: {carried: "Done."}}\n', 7, 'go in office: "…"'),
    ('  - id: "2"\n    title: D\n    kind: decision\n    article: "8.11"\n    office: Chair\n', 11,
     "item '2' is a decision, and office belongs only to an election"),
    ('  - id: "3"\n    title: P\n    kind: presentation\n    office: Chair\n', 10, 'go in noted: "…"'),
    ('  - id: "2"\n    title: D\n    kind: consensus\n    noted: "Seen."\n', 10,
     "item '2' is a consensus, and noted belongs only to a report or presentation"),
    ('  - id: "2"\n    title: D\n    kind: decision\n    article: "8.11"\n    resolution: {}\n', 11,
     "item '2' has a resolution with no text"),
    ('  - id: "2"\n    title: D\n    kind: decision\n    article: "8.11"\n    resolution:\n'
     '      carried: "Fine."\n      not_carried: "Bad\\ttab."\n', 13, "resolution not_carried contains a tab"),
    ('  - id: "2"\n    title: D\n    kind: decision\n    article: "8.11"\n    resolution: {carried: "  "}\n', 11,
     "resolution carried is only white space"),
    ('  - id: "2"\n    title: D\n    kind: decision\n    article: "8.11"\n    resolution: {adopted: "x"}\n', 11,
     "unknown key 'adopted'"),
    ('  - id: "3"\n    title: R\n    kind: report\n    noted: "Line\\nbreak."\n', 10, "item '3' noted contains a line break"),
    ('  - id: "1"\n    title: E\n    kind: election\n    office: "\\e[2J"\n', 10, "item '1' office contains a control character (ESC, U+001B)"),
])
def test_declaration_item_key_errors(tmp_path, item, line, words):
    err = error_of(tmp_path, HEAD + "items:\n" + item)
    assert (err.line, words in err.message) == (line, True), str(err)
    assert "\n" not in str(err) and " — " in err.message


@pytest.mark.parametrize("block, line, words", [
    ("declaration:\n  preamble:\n    - Fine.\n    - \"Bad \\u202e order.\"\n", 9,
     "declaration preamble paragraph contains a bidirectional-text control (RLO, U+202E) at position 5"),
    ("declaration:\n  preamble:\n    - Fine.\n    - \"   \"\n", 9, "declaration preamble paragraph is only white space"),
    ("declaration:\n  preamble: [Fine, 3]\n", 7, "declaration.preamble.1 must be text"),
    ("declaration:\n  closing: \"Two\\rlines\"\n", 7, "declaration closing contains a line break (CR, U+000D)"),
    ("declaration:\n  closing: \"\"\n", 7, "declaration closing is empty"),
    ("declaration:\n  signatories:\n    - {name: \"\\u200bXu\", title: Chair}\n", 8,
     "signatory name contains an invisible formatting character (ZWSP, U+200B)"),
    ("declaration:\n  signatories:\n    - {name: Xu}\n", 8, "missing key 'title'"),
    ("declaration:\n  tallies: \"false\"\n", 7, "tallies must be true or false, not 'false'"),
    ("declaration:\n  talies: true\n", 7, "unknown key 'talies'"),
])
def test_declaration_block_errors(tmp_path, block, line, words):
    err = error_of(tmp_path, HEAD + block + 'items:\n  - {id: "1", title: X, kind: report}\n')
    assert (err.line, words in err.message) == (line, True), str(err)
    assert "\n" not in str(err)


def test_a_session_cannot_close_before_it_opens(tmp_path):
    text = HEAD.replace("opens: 2024-05-01}", "\n  opens: 2024-05-03,\n  closes: 2024-05-02}")
    err = error_of(tmp_path, text + 'items:\n  - {id: "1", title: X, kind: report}\n')
    assert err.line == 3
    assert err.message.startswith("session closes 2024-05-02, before it opens (2024-05-03) — ")
    one_day = load(tmp_path, HEAD.replace("opens: 2024-05-01", "opens: 2024-05-01, closes: 2024-05-01")
                   + 'items:\n  - {id: "1", title: X, kind: report}\n')
    assert one_day.session.closes == one_day.session.opens


def test_the_12th_ga_sample_carries_the_declarations_words():
    d = load_agenda(GA12)
    assert (str(d.session.opens), str(d.session.closes)) == ("2018-10-28", "2018-10-31")
    assert len(d.declaration.preamble) == 4 and d.declaration.tallies is False
    assert "reciprocity and equality" in d.declaration.preamble[0]
    assert d.declaration.closing and d.declaration.signatories
    by_id = {i.id: i for i in d.items}
    assert by_id["1"].office.startswith("Chair of NEAR for 2018–2020")
    assert by_id["3"].noted
    assert all(by_id[i].resolution.carried for i in "245678")
    # Every member, associate and observer of the sample has its name in its own script.
    assert all(m.native_name for m in d.members)
    natives = {m.id: m.native_name for m in d.members}
    assert (natives["cn-heilongjiang"], natives["jp-aomori"], natives["kr-busan"],
            natives["mn-ulaanbaatar"], natives["ru-sakha"]) == (
        "黑龙江省", "青森県", "부산광역시", "Улаанбаатар хот", "Республика Саха (Якутия)")
