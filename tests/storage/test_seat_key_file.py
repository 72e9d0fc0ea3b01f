"""A seat key file is read back as the very key that was made, and any other file is judged whole.

The seat reads the one form it writes (unencrypted PKCS#8 PEM) without cryptography, and signs
with PyNaCl; these tests compare what it reads with what cryptography reads, its signatures with
cryptography's for the same key, and give it the forms it must not take for that one.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from near_tui.core import seats
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
        assert bytes(again.private) == reference.private_bytes_raw() == bytes(made.private)
        assert again.key_id == made.key_id


def test_a_key_written_by_another_program_in_the_same_form_is_read(tmp_path):
    key = ed25519.Ed25519PrivateKey.generate()
    # The same PEM, with Windows line ends and a trailing blank line, as a copied file may have.
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    (tmp_path / "seat.key").write_bytes(pem.replace(b"\n", b"\r\n") + b"\r\n")
    assert bytes(seat_keys.load_or_make(tmp_path / "seat.key").private) == key.private_bytes_raw()


def test_the_seat_signs_as_cryptography_signs_with_its_key(tmp_path):
    # Ed25519 is deterministic: the same key signs the same bytes the same way in either library,
    # so a seal is checked alike by the seat (PyNaCl) and by anyone holding cryptography.
    seat = seat_keys.load_or_make(tmp_path / "seat.key")
    reference = serialization.load_pem_private_key((tmp_path / "seat.key").read_bytes(), password=None)
    public = reference.public_key()
    assert seat.public_raw == public.public_bytes_raw()
    for n in range(50):
        digest = f"{n:064x}"
        sealed = seat.seal(digest)
        assert sealed == seats.seal(seat.private, digest)
        signature = reference.sign(seats.signed_bytes(digest))
        assert sealed.signature == base64.b64encode(signature).decode("ascii")
        public.verify(signature, seats.signed_bytes(digest))


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
