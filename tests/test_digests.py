"""The one file hash: what the media cache, the published-image scan and the screen key on."""

from __future__ import annotations

import pytest

from bulletin.digests import file_sha256


def test_file_sha256_is_the_hex_sha256_of_the_whole_file(tmp_path):
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert file_sha256(empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    big = tmp_path / "big"
    big.write_bytes(b"\0" * (3 << 20) + b"abc")  # the difference lies past the first read block
    other = tmp_path / "other"
    other.write_bytes(b"\0" * (3 << 20) + b"abd")
    assert len(file_sha256(big)) == 64
    assert file_sha256(big) != file_sha256(other)
    assert file_sha256(str(big)) == file_sha256(big)


def test_file_sha256_raises_oserror_for_a_missing_file(tmp_path):
    with pytest.raises(OSError):
        file_sha256(tmp_path / "gone.jpg")
