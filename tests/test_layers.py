"""Each import contract in pyproject.toml catches the import it forbids: a contract that cannot fail
would guard nothing. (That the tree keeps them all, scripts/test checks with lint-imports before the tests.)"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# An import added at the end of a module of a copy of the package, and the contracts it must break
# (named by the start of their names in pyproject.toml). Every contract is broken by at least one.
# A forbidden import counts however indirect: the declaration imports the core, so a core that
# imported Textual would make the declaration import it too.
BREAKS = [
    ("core/errors.py", "import textual", {"The core is pure", "The declaration is headless"}),
    ("chair/app.py", "import near_tui.clerk.app", {"Layers", "The three live surfaces", "Only the clerk"}),
    ("storage/mirror.py", "import near_tui.service.session", {"Layers", "No two modules"}),
    ("board/feed.py", "import near_tui.declaration.record", {"Only the clerk"}),
    ("declaration/record.py", "import textual.app", {"The declaration is headless"}),
    ("declaration/findings.py", "import near_tui.declaration.verification", {"No two modules"}),
]


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    # Wide lines, so that each contract's verdict is on its name's line.
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "400"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=120)


def contract_names() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c["name"] for c in config["tool"]["importlinter"]["contracts"]]


def verdicts(output: str) -> dict[str, str]:
    found = {}
    for name in contract_names():
        line = next((ln for ln in output.splitlines() if ln.startswith(name + " ")), "")
        found[name] = line.rsplit(" ", 1)[-1] if line else "not reported"
    return found


def copy_of_package(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "near_tui", tree / "near_tui", ignore=shutil.ignore_patterns("__pycache__", "samples"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_every_contract_is_broken_by_one_of_the_cases():
    names = contract_names()
    for starts in (starts for _, _, broken in BREAKS for starts in broken):
        assert sum(name.startswith(starts) for name in names) == 1, starts
    covered = {name for name in names for _, _, broken in BREAKS if any(name.startswith(b) for b in broken)}
    assert covered == set(names)


@pytest.mark.parametrize(("module", "line", "broken"), BREAKS, ids=[m for m, _, _ in BREAKS])
def test_a_contract_catches_the_import_it_forbids(tmp_path, module, line, broken):
    tree = copy_of_package(tmp_path)
    path = tree / "near_tui" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = lint(tree)
    assert done.returncode != 0
    found = verdicts(done.stdout)
    assert {name for name, verdict in found.items() if verdict != "KEPT"} == \
        {name for name in found if any(name.startswith(b) for b in broken)}, done.stdout
    assert set(found.values()) <= {"KEPT", "BROKEN"}, done.stdout
