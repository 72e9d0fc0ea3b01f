"""Every word the code compares a status, an outcome, a result, a mode or a standing with is a word
of its type in core/payloads.py (or of a member's status in core/schema.py). mypy checks this in the
core; this reads every module of the package, front-ends included, so a misspelt word anywhere
(``status == "opne"``, always false) fails here with its file and line."""

from __future__ import annotations

import ast
from pathlib import Path

from near_tui.core.payloads import AttendanceMode, ItemStatus, Outcome, Result, Standing, words
from near_tui.core.schema import MemberStatus

PACKAGE = Path(__file__).resolve().parents[2] / "near_tui"

# The name compared (an attribute's or a variable's) -> the words it may hold.
WORDS = {
    "status": set(words(ItemStatus)) | set(words(MemberStatus)),
    "outcome": set(words(Outcome)),
    "decided": set(words(Outcome)),
    "result": set(words(Result)),
    "mode": set(words(AttendanceMode)),
    "standing": set(words(Standing)),
}


def compared_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def constants(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [c for e in node.elts for c in constants(e)]
    return []


def comparisons(path: Path):
    """(line, name, word) for each comparison of a watched name with a string."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            if not isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn):
                continue
            for name_side, word_side in ((sides[i], sides[i + 1]), (sides[i + 1], sides[i])):
                name = compared_name(name_side)
                if name in WORDS:
                    for word in constants(word_side):
                        yield node.lineno, name, word


def test_every_status_word_compared_is_a_word_of_its_type():
    seen = 0
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, name, word in comparisons(path):
            seen += 1
            if word not in WORDS[name]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name} compared with {word!r}, "
                             f"not one of {', '.join(sorted(WORDS[name]))}")
    assert not wrong, "\n".join(wrong)
    assert seen > 40, "the scan found the comparisons it is meant to check"
