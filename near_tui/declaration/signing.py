"""minisign signatures of the closed files, with the session and the chain head in the trusted comment.

Signatures are prehashed (BLAKE2b, minisign's default "ED" format) so that
``minisign -Vm FILE -p KEY.pub`` checks them and prints the trusted comment.
Ed25519 is deterministic: the same key and bytes always give the same signature.
"""

from __future__ import annotations

import base64
import hashlib

import minisign
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

SIG_SUFFIX = ".minisig"


def trusted_comment(session_id: str, chain_head: str, events: int, file_name: str) -> str:
    """One line minisign prints after "Trusted comment:"; ``key:value`` pairs separated by spaces."""
    return f"near-tui session:{session_id} events:{events} chain_head:{chain_head} file:{file_name}"


def parse_trusted_comment(comment: str) -> dict[str, str]:
    fields = {}
    for part in comment.split(" "):
        key, sep, value = part.partition(":")
        if sep:
            fields[key] = value
    return fields


def signed_file_name(sig_bytes: bytes) -> str | None:
    """The file a signature says it was made for (its trusted comment's ``file:``), or None."""
    try:
        comment = minisign.Signature.from_bytes(sig_bytes).trusted_comment
    except Exception:  # noqa: BLE001 — an unreadable signature names no file; diagnose says why
        return None
    return parse_trusted_comment(comment).get("file")


def sign(secret: minisign.SecretKey, data: bytes, comment: str) -> bytes:
    """The ``.minisig`` file's bytes for ``data``."""
    signature = secret.sign(data, prehash=True, untrusted_comment="signature from near-tui",
                            trusted_comment=comment)
    return bytes(signature) + b"\n"


def check(public: minisign.PublicKey, data: bytes, sig_bytes: bytes) -> str:
    """The trusted comment if the signature holds; raises ``minisign.Error`` (with a reason) if not."""
    signature = minisign.Signature.from_bytes(sig_bytes)
    public.verify(data, signature)
    return signature.trusted_comment


def key_id(raw: bytes) -> str:
    """A key id's eight bytes as minisign prints them: a little-endian number in capital hex, with no
    leading zeros (minisign's ``%llX``: one key in sixteen has a 15-digit id), so that the id near_tui
    prints is the very string minisign prints and writes into the public key's comment."""
    return f"{int.from_bytes(raw, 'little'):X}"


# Why a signature fails, told apart (``diagnose``): minisign's own error says only "failed".
OTHER_KEY, FILE_CHANGED, SIGNATURE_CHANGED, UNREADABLE = "other_key", "file_changed", "signature_changed", "unreadable"


def diagnose(public: minisign.PublicKey, data: bytes, sig_bytes: bytes) -> tuple[str, str]:
    """Why ``sig_bytes`` does not hold for ``data``: ``(code, sentence)``; call it after ``check`` failed.

    A minisig file carries the signer's key id, a signature of the file's BLAKE2b digest and a
    second ("global") signature over the first one plus the trusted comment. So: another key id
    means another key signed it; the global signature holding while the file's does not means the
    file's content changed since it was signed; neither holding means the signature file was edited.
    """
    try:
        lines = sig_bytes.decode("utf-8").splitlines()
        first = base64.standard_b64decode(lines[1].strip())
        comment = lines[2].removeprefix("trusted comment: ")
        glob = base64.standard_b64decode(lines[3].strip())
        algorithm, signer, file_sig = first[:2], first[2:10], first[10:74]
    except (UnicodeDecodeError, IndexError, ValueError):
        return UNREADABLE, "the signature file is not a minisign signature"
    raw = base64.standard_b64decode(public.to_base64())
    ours, public_bytes = raw[2:10], raw[10:42]
    verifier = ed25519.Ed25519PublicKey.from_public_bytes(public_bytes)

    def holds(signature: bytes, message: bytes) -> bool:
        try:
            verifier.verify(signature, message)
            return True
        except InvalidSignature:
            return False

    digest = hashlib.blake2b(data).digest() if algorithm == b"ED" else data
    if signer != ours:
        if holds(glob, file_sig + comment.encode()):
            return SIGNATURE_CHANGED, "its signature file was edited (its key id)"
        return OTHER_KEY, (f"signed by another key (key id {key_id(signer)}), "
                           f"not the one given (key id {key_id(ours)})")
    if holds(glob, file_sig + comment.encode()):
        if not holds(file_sig, digest):
            return FILE_CHANGED, "its content changed after it was signed"
        return SIGNATURE_CHANGED, "its signature file was edited"
    return SIGNATURE_CHANGED, "its signature file was edited (the signed comment or signature no longer holds)"
