"""A seat's own signing key: one Ed25519 key per account on a machine, made at its first use.

The key file is PEM (PKCS#8), unprotected, mode 0600 — like an SSH host key, it signs without
anyone typing a passphrase at every vote. Where it lives: ``--seat-key PATH`` where a command
takes it, else ``$NEAR_TUI_SEAT_KEY``, else ``$XDG_CONFIG_HOME/near-tui/seat.key`` (by default
``~/.config/near-tui/seat.key``). What the key protects is in docs/seats.md.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey

from near_tui.core import events as ev, seats
from near_tui.core.errors import InputError

ENVIRONMENT = "NEAR_TUI_SEAT_KEY"

# The form ``_make`` writes: unencrypted PKCS#8 PEM, whose DER is this fixed prefix and the 32 bytes
# of the private key (its seed). Read here, for PyNaCl's signing key (core.seats): cryptography,
# which writes the file and reads any other form, costs a writing seat 6 MiB at start for one fixed
# layout (bench/RESULTS.md). Any other form goes to cryptography's reader, which decides.
_PKCS8_ED25519 = bytes.fromhex("302e020100300506032b657004220420")
_PEM_LINES = ("-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----")


def default_path() -> Path:
    given = os.environ.get(ENVIRONMENT)
    if given:
        return Path(given).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "near-tui" / "seat.key"


def seat_name() -> str:
    """How the log names this seat: the account and the machine (``clerk@laptop-2``)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"


@dataclass
class SeatKey:
    """The key this process signs its events with."""

    path: Path
    private: SigningKey
    name: str
    made: bool = False  # the key file was created just now

    @property
    def public_raw(self) -> bytes:
        return bytes(self.private.verify_key)

    @property
    def key_id(self) -> str:
        return seats.key_id(self.public_raw)

    def seal(self, event_hash: str) -> ev.Seal:
        return seats.seal(self.private, event_hash)


def load_or_make(path: str | Path | None = None) -> SeatKey:
    """The seat key at ``path`` (default: ``default_path()``), made there if there is none yet."""
    where = Path(path).expanduser() if path is not None else default_path()
    made = False
    if not where.exists() and not where.is_symlink():
        made = _make(where)
    return SeatKey(where, _read(where), seat_name(), made)


def _make(where: Path) -> bool:
    try:
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(where), None, f"cannot create the seat key's folder ({exc.strerror}) — "
                                           "give a writable place with --seat-key or NEAR_TUI_SEAT_KEY") from None
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    try:
        fd = os.open(where, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False  # another seat of this account made it at the same moment: use that one
    except OSError as exc:
        raise InputError(str(where), None, f"cannot create the seat key ({exc.strerror}) — "
                                           "give a writable place with --seat-key or NEAR_TUI_SEAT_KEY") from None
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _read(where: Path) -> SigningKey:
    try:
        data = where.read_bytes()
    except OSError as exc:
        raise InputError(str(where), None, f"cannot read the seat key ({exc.strerror or exc}) — "
                                           "check the path and its permissions") from None
    seed = _plain_pkcs8(data)
    if seed is None:
        seed = _other_form(data)
    if seed is None:
        raise InputError(str(where), None, "not a near-tui seat key (an unprotected Ed25519 PEM key) — "
                                           "give another --seat-key, or move this file away to make a new one")
    return SigningKey(seed)


def _plain_pkcs8(data: bytes) -> bytes | None:
    """The key's 32 bytes when ``data`` is in the form ``_make`` writes; None for any other form."""
    lines = data.decode("ascii", "replace").strip().splitlines()
    if len(lines) < 3 or (lines[0].strip(), lines[-1].strip()) != _PEM_LINES:
        return None
    try:
        der = base64.b64decode("".join(line.strip() for line in lines[1:-1]), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(der) != len(_PKCS8_ED25519) + 32 or not der.startswith(_PKCS8_ED25519):
        return None
    return der[len(_PKCS8_ED25519):]


def _other_form(data: bytes) -> bytes | None:
    """The key's 32 bytes when cryptography reads ``data`` as an unprotected Ed25519 PEM key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        return None
    return key.private_bytes_raw() if isinstance(key, ed25519.Ed25519PrivateKey) else None
