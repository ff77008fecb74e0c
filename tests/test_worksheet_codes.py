"""Variant codes round-trip, and a typo is caught by the checksum."""

from __future__ import annotations

import pytest

from drill.worksheet.codes import CodeError, SheetSpec, decode, encode

SLUGS = ["cnn", "gnn", "rnn"]


@pytest.mark.parametrize("spec", [SheetSpec(("cnn", "rnn"), 12, 7, "numeric", False, 3),
                                  SheetSpec((), 22, 2**40 + 5, "all", True, 499)])
def test_code_round_trips(spec):
    assert decode(encode(spec, SLUGS), SLUGS) == spec


def test_a_changed_character_fails_the_checksum():
    code = encode(SheetSpec(("cnn",), 10, 1, "all", False, 1), SLUGS)
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(CodeError):
        decode(typo, SLUGS)


def test_garbage_is_not_a_code():
    with pytest.raises(CodeError):
        decode("hello world!", SLUGS)
