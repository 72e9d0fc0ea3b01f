"""The command line, two ways: in this process through click's runner (fast, for what a command
says and writes), or as the real ``near-tui`` in a child process (exit status, stderr, a fresh
interpreter), as a user or a clerk's script runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from .paths import ROOT


def near(*args: object, input: str | None = None, catch_exceptions: bool = True,
         env: dict[str, str] | None = None) -> Result:
    """``near-tui ARGS`` in this process; click's Result (output, stdout, stderr, exit_code).
    ``env``: variables set while the command runs (``COLUMNS`` for the width it draws to)."""
    from near_tui.cli.main import main

    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=catch_exceptions,
                              env=env)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the real ``near-tui`` command in a child process, as a user would."""
    return subprocess.run([sys.executable, "-m", "near_tui", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=child_env(), timeout=timeout, stdin=subprocess.DEVNULL)
