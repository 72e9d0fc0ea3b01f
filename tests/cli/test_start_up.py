"""What start-up loads: `near-tui --help` and the clerk's first frame leave the heavy libraries alone.

Speed itself is measured by bench/run.py (bench/RESULTS.md), never asserted here; these tests pin
the cause of it, the modules loaded, in a fresh interpreter each.
"""

from __future__ import annotations

import json
import subprocess
import sys

from support import GA12, GA12_ATTENDANCE, child_env

# Libraries the first frame never needs: the declaration's signatures (minisign: its key is read only
# when --key is given), the PDF, the web board and chair --serve, the YAML reader (a session's agenda
# is in its log), SQLAlchemy (an SQLite log is read with the standard library's sqlite3; SQLAlchemy
# is for a server's URL), pydantic (the log holds the session's records as they were validated),
# Babel (the console speaks the code's English; dates and other languages load it when asked),
# cryptography (a seat signs and checks seals with PyNaCl; cryptography makes a new seat key).
NOT_FOR_THE_FIRST_FRAME = ["minisign", "fpdf", "fontTools", "aiohttp", "textual_serve", "yaml", "sqlalchemy",
                           "pydantic", "babel", "cryptography"]
# --help only parses the command line: not even the session's records or the sample's files.
NOT_FOR_HELP = ["textual", "rich", "nacl", "near_tui.core.schema", "tempfile", "importlib.resources",
                *NOT_FOR_THE_FIRST_FRAME]

FIRST_FRAME = """
import json, sys
from near_tui.clerk.app import build_app

async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()

build_app(sys.argv[1]).run(headless=True, auto_pilot=first_frame)
print(json.dumps(sorted(sys.modules)))
"""

HELP = """
import contextlib, io, json, sys
from near_tui.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(["--help"])
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def loaded(code: str, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=child_env(),
                          timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_clerks_first_frame_loads_nothing_it_does_not_show(tmp_path):
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.imports import import_file
    from near_tui.service.session import Session

    db = str(tmp_path / "s.sqlite")
    session = Session.create(load_agenda(GA12), db)
    import_file(session, "attendance", GA12_ATTENDANCE)
    session.close_log()
    modules = loaded(FIRST_FRAME, db)
    assert "near_tui.clerk.app" in modules and "textual.app" in modules  # the frame was drawn by the app
    assert [m for m in NOT_FOR_THE_FIRST_FRAME if m in modules] == []


def test_help_loads_only_the_command_line():
    modules = loaded(HELP)
    assert "click" in modules and "near_tui.cli.main" in modules
    assert [m for m in NOT_FOR_HELP if m in modules] == []
