"""The package as a user gets it: the sample inside it, `near-tui sample`, the declared dependencies,
and the built wheel installed in a fresh virtual environment outside the checkout."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.metadata import packages_distributions, version
from pathlib import Path

import pytest
from click.testing import CliRunner

from near_tui.cli import clerk as commands, sample as sample_command
from near_tui.cli.main import main
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "agenda"  # the sample's one home; the wheel build copies it to near_tui/samples/
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def sample_names() -> list[str]:
    """The files a user should get: everything in agenda/ but Python files, listed here."""
    return sorted(p.name for p in SAMPLES.iterdir() if p.is_file() and p.suffix not in (".py", ".pyc"))


# ------------------------------------------------------------------ near-tui sample
def test_the_sample_has_one_home_in_the_checkout():
    # agenda/ is the only copy to edit: a second one inside the package would drift from it
    # (the wheel's copy is made by the build and compared byte for byte in the wheel test).
    assert (SAMPLES / "ga12-2018.yaml").is_file()
    assert not (ROOT / "near_tui" / "samples").exists()
    with sample_command.sample_folder() as folder:
        assert folder == SAMPLES


def test_sample_writes_every_sample_file_and_says_what_to_run_next(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["sample", "new/ga"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "new" / "ga").iterdir())
    assert written == sample_names() and "ga12-2018.yaml" in written and "README.md" in written
    for name in written:
        assert (tmp_path / "new" / "ga" / name).read_bytes() == (SAMPLES / name).read_bytes(), name
    lines = result.output.splitlines()
    assert lines[:-1] == [f"wrote new/ga/{name}" for name in written]
    assert lines[-1] == "next: near-tui check new/ga/ga12-2018.yaml"
    # ...and that command accepts what was written.
    checked = CliRunner().invoke(main, ["check", "new/ga/ga12-2018.yaml"])
    assert checked.exit_code == 0 and ": ok — " in checked.output, checked.output


def test_sample_never_overwrites_and_writes_nothing_when_a_file_is_there(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "members-2018.yaml").write_text("my own roster\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sample", str(target)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"near-tui: {target / 'members-2018.yaml'}: already exists")
    assert sorted(p.name for p in target.iterdir()) == ["members-2018.yaml"]
    assert (target / "members-2018.yaml").read_text(encoding="utf-8") == "my own roster\n"


def test_sample_refuses_a_file_given_as_the_folder_in_one_line(tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["sample", str(tmp_path / "afile")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "is a file, not a folder" in result.output
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"


def test_the_sample_is_read_from_a_zipped_package_through_a_temporary_copy(tmp_path, monkeypatch):
    # What importlib.resources gives for a package imported from a zip: no folder on disk.
    archive = tmp_path / "near_tui.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in sample_names():
            zf.write(SAMPLES / name, f"near_tui/samples/{name}")
        zf.writestr("near_tui/samples/helper.py", "# not sample data\n")
    monkeypatch.setattr(sample_command, "_root", lambda: zipfile.Path(archive, "near_tui/samples/"))
    with sample_command.sample_folder() as folder:
        assert sorted(p.name for p in folder.iterdir()) == sample_names()
        assert load_agenda(folder / "ga12-2018.yaml").session.id == "ga12-2018"
    assert not folder.exists()
    written = sample_command.write_sample(tmp_path / "out")
    assert sorted(p.name for p in written) == sample_names()
    # The demo reads it the same way.
    made = commands.prepare_demo(tmp_path / "sessions")
    with (SAMPLES / "ga12-2018-attendance.csv").open(encoding="utf-8") as f:
        in_person = sum(1 for line in f if line.rstrip().endswith(",in_person"))
    session = Session.open(made.db, readonly=True)
    try:
        assert session.state.session_figures()["in_person"] == in_person
    finally:
        session.close_log()


# ------------------------------------------------------------------ declared dependencies
def _distribution(requirement: str) -> str:
    return _normal(re.match(r"[A-Za-z0-9._-]+", requirement).group())


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imports(folder: Path) -> dict[str, set[str]]:
    """Top-level modules imported by the files under ``folder`` -> the files; imports inside
    ``try: ... except ImportError`` are optional and left out."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        optional: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                    isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                    for h in node.handlers):
                optional.update(id(n) for stmt in node.body for n in ast.walk(stmt))
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def _third_party(imports: dict[str, set[str]]) -> dict[str, set[str]]:
    """The imports that come from an installed distribution: not stdlib, not near_tui, not a module
    of the repository (tests/ and bench/ import their own helpers, and each other's, by name)."""
    local = {p.stem for folder in ("tests", "bench", "near_tui") for p in (ROOT / folder).rglob("*.py")}
    local |= {p.parent.name for folder in ("tests", "bench") for p in (ROOT / folder).rglob("*/*.py")}
    return {name: files for name, files in imports.items()
            if name not in sys.stdlib_module_names and name not in ("near_tui", "__future__")
            and name not in local}


# Declared and needed, though no file imports them by name: why each one.
NOT_IMPORTED = {
    "pytest-xdist": "the -n 2 workers (scripts/test, CI)",
    "pytest-timeout": "the per-test timeout set in pyproject.toml",
    "import-linter": "lint-imports checks the layer contracts (scripts/test, before the tests)",
    "ruff": "ruff check (scripts/test, before the tests)",
    "mypy": "mypy --strict on near_tui/core (scripts/test, before the tests)",
    "pytest-textual-snapshot": "the snap_compare fixture of the snapshot tests",
    "setuptools": "builds the wheel in tests/test_package.py without fetching it (--no-build-isolation)",
}


def test_every_imported_library_is_declared_and_every_declared_one_is_used():
    runtime = {_distribution(r) for r in PYPROJECT["project"]["dependencies"]}
    test = {_distribution(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
    to_distribution = {module: {_normal(d) for d in dists} for module, dists in packages_distributions().items()}

    def undeclared(imports, allowed):
        return {m: sorted(files) for m, files in imports.items() if not to_distribution.get(m, {m}) & allowed}

    package = _third_party(_imports(ROOT / "near_tui"))
    tests = {**_third_party(_imports(ROOT / "tests")), **_third_party(_imports(ROOT / "bench"))}
    assert undeclared(package, runtime) == {}, "near_tui imports a library that is not in [project] dependencies"
    assert undeclared(tests, runtime | test) == {}, "tests/ or bench/ import a library not in the test extra"
    used = {d for m in {**package, **tests} for d in to_distribution.get(m, {m})}
    unused = (runtime | test) - used - set(NOT_IMPORTED)
    assert unused == set(), "declared but never imported: drop it, or say in NOT_IMPORTED why it is needed"
    assert set(NOT_IMPORTED) <= runtime | test, "NOT_IMPORTED names a library that is not declared"
    # Runtime libraries are imported by near_tui itself, not only by the tests.
    assert runtime - {d for m in package for d in to_distribution.get(m, {m})} == set()


# ------------------------------------------------------------------ the wheel, installed elsewhere
def _offline_build() -> bool:
    """Whether this environment's setuptools meets [build-system] requires (then the build needs no
    download). setuptools ≥ 70.1 builds wheels by itself (no `wheel` package)."""
    try:
        have = tuple(int(p) for p in version("setuptools").split(".")[:2])
    except Exception:  # noqa: BLE001 - not installed, or an odd version string
        return False
    (wanted,) = [r for r in PYPROJECT["build-system"]["requires"] if _distribution(r) == "setuptools"]
    need = tuple(int(p) for p in re.search(r">=\s*([0-9.]+)", wanted).group(1).split(".")[:2])
    return have >= max(need, (70, 1))


def _build_wheel(tmp_path: Path) -> Path:
    # From a copy, so the build's build/ and *.egg-info never land in the checkout.
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    for folder in ("near_tui", "agenda"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path / "dist")]
    if _offline_build():
        command.append("--no-build-isolation")
    done = subprocess.run([*command, str(source)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = (tmp_path / "dist").glob("near_tui-*.whl")
    return wheel


def _check_wheel_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "near-tui = near_tui.cli.main:main" in entry_points
    wanted = {f"near_tui/samples/{name}" for name in sample_names()}
    data = [p for p in (ROOT / "near_tui").rglob("*") if p.is_file() and (
        p.suffix in (".tcss", ".po") or "board/static" in p.as_posix() or "chair/serve_templates" in p.as_posix())]
    wanted |= {p.relative_to(ROOT).as_posix() for p in data}
    assert len(data) >= 4 and any(p.suffix == ".tcss" for p in data)
    assert sum(p.suffix == ".po" for p in data) == 5  # zh_Hans, ja, ko, mn, ru
    assert wanted - names == set(), "the wheel lacks package data"
    # The sample in the wheel is agenda/, byte for byte, and nothing more.
    assert {n for n in names if n.startswith("near_tui/samples/")} == {f"near_tui/samples/{n}" for n in sample_names()}
    with zipfile.ZipFile(wheel) as zf:
        for name in sample_names():
            assert zf.read(f"near_tui/samples/{name}") == (SAMPLES / name).read_bytes(), name
    assert not any(n.startswith(("tests/", "bench/", "sessions/")) for n in names)


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new venv holding only the wheel; its dependencies are this environment's, already installed.

    The wheel goes in with --no-index --no-deps (nothing downloaded, no ensurepip needed: this pip
    installs into the other interpreter); a .pth line then puts this environment's site-packages
    after the new one, so the libraries come from here, at the versions the suite tests, while
    near_tui comes only from the wheel (a .pth line adds a folder but runs none of its .pth files,
    so the checkout's editable install stays out). Which libraries the wheel needs is checked
    against what it declares below and, statically, by the test above.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                           "--no-index", "--no-deps", str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "zz_test_environment.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    return venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_the_wheel_installed_elsewhere_writes_the_sample_checks_it_and_runs_the_demo(tmp_path):
    wheel = _build_wheel(tmp_path)
    _check_wheel_contents(wheel)
    venv = _fresh_venv(tmp_path, wheel)
    here = tmp_path / "empty"
    here.mkdir()
    near_tui = str(venv / "bin" / "near-tui")

    # The wheel's requirements are all installed where it runs.
    done = _run(venv, here, str(venv / "bin" / "python"), "-c",
                "import importlib.metadata as m, re\n"
                "for r in m.requires('near-tui'):\n"
                "    if 'extra ==' not in r: m.version(re.match(r'[A-Za-z0-9._-]+', r).group())\n"
                "import near_tui; print(near_tui.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve().is_relative_to(venv.resolve())

    done = _run(venv, here, near_tui, "sample", "start")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (here / "start").iterdir()) == sample_names()
    assert done.stdout.splitlines()[-1] == "next: near-tui check start/ga12-2018.yaml"

    done = _run(venv, here, near_tui, "check", "start/ga12-2018.yaml")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("start/ga12-2018.yaml: ok — ga12-2018: ")

    done = _run(venv, here, near_tui, "sample", "start")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "already exists" in done.stderr

    # The catalogues travel as .po files and are compiled where the wheel runs.
    done = _run(venv, here, str(venv / "bin" / "python"), "-c",
                "from near_tui.i18n import words; print(words('zh')._('Decisions'), words('ru')._('Decisions'))")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["决定", "Решения"]

    done = _run(venv, here, str(venv / "bin" / "python"), str(ROOT / "tests" / "package_demo_pilot.py"),
                str(venv), "start")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "demo ok" in done.stdout
    assert len(list((here / "sessions").glob("demo-*.sqlite"))) == 1


# ------------------------------------------------------------------ docs/agenda-format.md
def test_the_format_page_examples_load_and_import_as_one_session(tmp_path):
    """The examples of docs/agenda-format.md are a working session: the agenda with its roster passes
    `near-tui check`, and every CSV example imports into it (so the page cannot drift from the code)."""
    page = (ROOT / "docs" / "agenda-format.md").read_text(encoding="utf-8")
    yamls = re.findall(r"```yaml\n(.*?)```", page, re.S)
    csvs = re.findall(r"```csv\n(.*?)```", page, re.S)
    agenda = next(y for y in yamls if y.startswith("session:"))
    roster = next(y for y in yamls if y.startswith("members:"))
    roster_name = re.search(r"^roster: (\S+)", agenda, re.M).group(1)
    (tmp_path / "agenda.yaml").write_text(agenda, encoding="utf-8")
    (tmp_path / roster_name).write_text(roster, encoding="utf-8")
    # Every key the page's tables list for items and members appears in its examples.
    for key in ("seats", "office", "admits", "description", "resolution", "noted", "article"):
        assert f"{key}:" in agenda, key
    for key in ("native_name", "status", "voting", "country"):
        assert f"{key}:" in roster, key

    runner = CliRunner()
    done = runner.invoke(main, ["check", str(tmp_path / "agenda.yaml")])
    assert done.exit_code == 0, done.output
    db = str(tmp_path / "s.sqlite")
    assert runner.invoke(main, ["new", str(tmp_path / "agenda.yaml"), "--db", db]).exit_code == 0
    headers = {"member_id,mode": "attendance", "member_id,item_id,position": "letters",
               "item_id,member_id,vote": "votes", "item_id,result,elected": "results"}
    kinds = []
    for text in csvs:
        kind = headers[text.splitlines()[0]]
        kinds.append(kind)
        (tmp_path / f"{kind}.csv").write_text(text, encoding="utf-8")
        done = runner.invoke(main, ["import", kind, "--db", db, str(tmp_path / f"{kind}.csv")])
        assert done.exit_code == 0, (kind, done.output)
    assert kinds == ["attendance", "letters", "votes", "results"]


def test_sample_removes_what_it_wrote_when_a_write_fails(tmp_path, monkeypatch):
    names = sample_names()
    real_open = Path.open

    def failing_open(self, mode="r", *args, **kwargs):
        if "x" in mode and self.name == names[2]:
            raise OSError(28, "No space left on device")
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    result = CliRunner().invoke(main, ["sample", str(tmp_path / "out")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "No space left on device" in result.output
    assert list((tmp_path / "out").iterdir()) == []
