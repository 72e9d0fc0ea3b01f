"""``near-tui keygen`` writes the public key 0644 and the secret key 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from support import ROOT


def keygen(out, umask: int, *extra: str) -> subprocess.CompletedProcess:
    """The real command in a child process started under ``umask``."""
    return subprocess.run([sys.executable, "-m", "near_tui", "keygen", "--out", str(out), *extra],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL,
                          preexec_fn=lambda: os.umask(umask))


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077, 0o277])
def test_key_modes_do_not_depend_on_the_umask(tmp_path, umask):
    key = tmp_path / "keys" / "ga12.key"
    done = keygen(key, umask)
    assert done.returncode == 0, done.stderr
    assert (mode(key), mode(f"{key}.pub"), mode(key.parent)) == (0o600, 0o644, 0o700)
    # Replacing the pair keeps the same modes.
    done = keygen(key, umask, "--force")
    assert done.returncode == 0, done.stderr
    assert (mode(key), mode(f"{key}.pub")) == (0o600, 0o644)
    assert [p.name for p in key.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left
