"""Ed25519 signing keys in minisign's file format (py-minisign).

The secret key file is minisign's own: unencrypted (as ``minisign -G -W``
writes it) or protected by a passphrase with scrypt (as plain ``minisign -G``).
py-minisign encrypts with libsodium's "interactive" scrypt limits, lighter
than minisign's own default; the limits are stored in the key, so the
``minisign`` tool reads and uses such a key as well. The public key goes to
``KEYFILE.pub``, the file ``minisign -V -p`` takes.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import minisign

from near_tui.core.errors import InputError

from .atomic_files import write_atomic
from .signing import key_id


def public_key_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".pub")


def generate(key_path: Path, passphrase: str | None = None, force: bool = False) -> tuple[Path, str]:
    """Write a new key pair (secret key 0600, public key 0644, whatever the umask); return the public key file and its base64 line."""
    key_path = Path(key_path)
    pub_path = public_key_path(key_path)
    if not key_path.parent.is_dir():
        # `keygen --out keys/ga12.key` on a fresh checkout: make the folder, private to its owner.
        try:
            key_path.parent.mkdir(mode=0o700, parents=True)
            key_path.parent.chmod(0o700)  # whatever the umask: 0277 would leave it unwritable
        except OSError as exc:
            raise InputError(str(key_path), None, f"cannot create folder {key_path.parent} ({exc.strerror}) — create it first") from None
    if not force:
        for path in (key_path, pub_path):
            if path.is_symlink() and not path.exists():
                # O_EXCL refuses to create through it; following it would write where the link points.
                raise InputError(str(path), None, f"a symbolic link to {os.readlink(path)}, which does not exist — "
                                                  "give a plain file path with --out (or remove the link)")
            if path.exists():
                raise InputError(str(path), None, "already exists — choose another --out, or pass --force to replace the key pair")
    pair = minisign.KeyPair.generate()
    secret = pair.secret_key
    if passphrase:
        secret.encrypt(passphrase)
    secret_bytes = bytes(secret) + b"\n"
    public_line = bytes(pair.public_key).splitlines()[1]
    # The comment names the key id as minisign writes it (and as verify prints it); py-minisign
    # writes its bytes in the other order, so a reader could not match the two.
    public_bytes = (b"untrusted comment: minisign public key " + public_key_id(public_line).encode("ascii")
                    + b"\n" + public_line + b"\n")
    secret.wipe()
    _write_private(key_path, secret_bytes, force)
    # 0644 whatever the umask (under umask 000 a plain write made it 0666: anyone could swap it).
    write_atomic(pub_path, public_bytes, mode=0o644)
    return pub_path, public_bytes.splitlines()[1].decode("ascii")


def public_key_id(public_line: str | bytes) -> str:
    """The key id of a public key's base64 line, as minisign prints it."""
    return key_id(base64.standard_b64decode(public_line)[2:10])


def _write_private(path: Path, data: bytes, force: bool) -> None:
    # Created 0600 from the start: the secret key is never readable by others, even briefly.
    if force:
        path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)  # exactly 0600 whatever the umask (umask 0277 would leave the owner unable to read it)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def read_secret_key(key_path: Path) -> minisign.SecretKey:
    try:
        return minisign.SecretKey.from_file(key_path)
    except FileNotFoundError:
        raise InputError(str(key_path), None, "no such key file — create one with `near-tui keygen --out KEYFILE`") from None
    except (OSError, minisign.Error) as exc:
        raise InputError(str(key_path), None, f"not a minisign secret key ({exc}) — give the secret key file, not the .pub") from None


def is_protected(secret: minisign.SecretKey) -> bool:
    return secret.is_encrypted()


def unlock(secret: minisign.SecretKey, key_path: Path, passphrase: str | None) -> minisign.SecretKey:
    """Decrypt a passphrase-protected key in place (an unprotected key needs none)."""
    if not secret.is_encrypted():
        return secret
    if not passphrase:
        raise InputError(str(key_path), None, "this key is protected by a passphrase — give the passphrase")
    try:
        secret.decrypt(passphrase)
    except minisign.Error:
        raise InputError(str(key_path), None, "wrong passphrase for this key — try again") from None
    return secret


def load_signing_key(key_path: Path, passphrase: str | None = None) -> minisign.SecretKey:
    return unlock(read_secret_key(Path(key_path)), Path(key_path), passphrase)


def load_public_key(pub_path: Path) -> minisign.PublicKey:
    try:
        return minisign.PublicKey.from_file(pub_path)
    except FileNotFoundError:
        raise InputError(str(pub_path), None, "no such public key file — give the KEYFILE.pub written by `near-tui keygen`") from None
    except (OSError, minisign.Error) as exc:
        raise InputError(str(pub_path), None, f"not a minisign public key ({exc}) — give the .pub file") from None
