"""The rules engine and the session log know nothing of Textual (STYLE.md)."""

import subprocess
import sys

CORE = ["core.schema", "inputs.yaml_lines", "inputs.agenda_file", "core.charter", "core.events",
        "core.state", "storage.session_log", "service.session", "service.imports", "views.report",
        "core.errors", "cli.support", "cli.main"]


def test_core_modules_import_no_textual():
    code = (
        "import sys\n"
        + "".join(f"import near_tui.{m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""



def test_clerk_start_up_leaves_the_pdf_renderer_unloaded(tmp_path):
    # fpdf and its fonts cost about 0.3 s and 25 MiB at start-up (bench/RESULTS.md); the clerk
    # needs them only when the session is ended, and imports them then.
    from pathlib import Path

    agenda = Path(__file__).resolve().parents[2] / "agenda" / "ga12-2018.yaml"
    db = tmp_path / "s.sqlite"
    subprocess.run([sys.executable, "-m", "near_tui", "new", str(agenda), "--db", str(db)],
                   capture_output=True, check=True)
    code = (
        "import sys\n"
        "from near_tui.clerk.app import build_app\n"
        f"app = build_app({str(db)!r})\n"
        "print(','.join(sorted(m for m in sys.modules if m == 'fpdf' or m.startswith('fpdf.'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_checking_a_closed_session_leaves_the_pdf_renderer_unloaded():
    # `audit` and `verify` read files and the log; only writing a PDF needs fpdf (about 0.4 s to load).
    code = (
        "import sys\n"
        "import near_tui.declaration.audit, near_tui.declaration.verification, near_tui.declaration.checkpoints\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('fpdf', 'fontTools'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
