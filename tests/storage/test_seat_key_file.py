"""A seat key file is read back as the very key that was made, and any other file is judged whole.

The seat reads the one form it writes (unencrypted PKCS#8 PEM) without cryptography's
serialization package; these tests compare what it reads with what that package reads, and
give it the forms it must not take for that one.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from near_tui.core.errors import InputError
from near_tui.storage import seat_keys


def test_a_made_key_reads_back_as_the_serialization_package_reads_it(tmp_path):
    for n in range(20):
        made = seat_keys.load_or_make(tmp_path / f"seat-{n}.key")
        assert made.made
        data = (tmp_path / f"seat-{n}.key").read_bytes()
        reference = serialization.load_pem_private_key(data, password=None)
        again = seat_keys.load_or_make(tmp_path / f"seat-{n}.key")
        assert not again.made
        assert again.private.private_bytes_raw() == reference.private_bytes_raw() == made.private.private_bytes_raw()
        assert again.key_id == made.key_id


def test_a_key_written_by_another_program_in_the_same_form_is_read(tmp_path):
    key = ed25519.Ed25519PrivateKey.generate()
    # The same PEM, with Windows line ends and a trailing blank line, as a copied file may have.
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    (tmp_path / "seat.key").write_bytes(pem.replace(b"\n", b"\r\n") + b"\r\n")
    assert seat_keys.load_or_make(tmp_path / "seat.key").private.private_bytes_raw() == key.private_bytes_raw()


@pytest.mark.parametrize("form", ["openssh", "encrypted", "other-curve", "garbage"])
def test_other_forms_are_refused_as_before(tmp_path, form):
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ed25519.Ed25519PrivateKey.generate()
    data = {
        "openssh": lambda: key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                             serialization.NoEncryption()),
        "encrypted": lambda: key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.BestAvailableEncryption(b"secret")),
        "other-curve": lambda: ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        "garbage": lambda: b"-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n",
    }[form]()
    (tmp_path / "seat.key").write_bytes(data)
    with pytest.raises(InputError, match="not a near-tui seat key"):
        seat_keys.load_or_make(tmp_path / "seat.key")
