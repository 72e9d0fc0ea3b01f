"""minisign signatures of the closed files, with the session and the chain head in the trusted comment.

Signatures are prehashed (BLAKE2b, minisign's default "ED" format) so that
``minisign -Vm FILE -p KEY.pub`` checks them and prints the trusted comment.
Ed25519 is deterministic: the same key and bytes always give the same signature.
"""

from __future__ import annotations

import minisign

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
