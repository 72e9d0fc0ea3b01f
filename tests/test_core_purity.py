"""The rules engine and the session log know nothing of Textual (STYLE.md)."""

import subprocess
import sys

CORE = ["schema", "yaml_lines", "agenda_file", "charter", "events", "state", "session_log",
        "session", "imports", "report", "errors", "cli_support", "cli"]


def test_core_modules_import_no_textual():
    code = (
        "import sys\n"
        + "".join(f"import near_tui.{m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
