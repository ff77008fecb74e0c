"""Variant codes: everything needed to rebuild one sheet, printed on the sheet.

A code packs (format version, exam?, kind, chapters as a bit mask over the sorted
chapter slugs, count, seed, variant number) as unsigned varints, adds a one-byte
checksum, and writes the bytes in Crockford base32 in groups of four: `drill worksheet
key CODE` decodes it and rebuilds the sheet and its key with nothing else. A typo fails
the checksum instead of silently giving another student's key.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
KINDS = ("all", "concept", "numeric")
VERSION = 1
MAX_CODE = 64


class CodeError(ValueError):
    """A code that cannot be read (typo, wrong checksum, other version)."""


@dataclass(frozen=True)
class SheetSpec:
    """What a sheet is drawn from; the code of a sheet is this, packed."""

    chapters: tuple[str, ...]   # sorted slugs (empty for an exam: the preset names them)
    count: int
    seed: int
    kind: str = "all"
    exam: bool = False
    variant: int = 0            # 0: the sheet itself; 1..N: per-student variants


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _read_varints(data: bytes) -> list[int]:
    values, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if shift > 70:
            raise CodeError("code is malformed")
        if not byte & 0x80:
            values.append(value)
            value, shift = 0, 0
    if shift:
        raise CodeError("code is malformed")
    return values


def encode(spec: SheetSpec, all_slugs: list[str]) -> str:
    mask = sum(1 << all_slugs.index(slug) for slug in spec.chapters)
    flags = int(spec.exam) | (KINDS.index(spec.kind) << 1)
    body = b"".join(_varint(v) for v in (VERSION, flags, mask, spec.count, spec.seed,
                                         spec.variant))
    data = body + bytes([zlib.crc32(body) & 0xFF])
    number = int.from_bytes(data, "big")
    chars = []
    for _ in range((len(data) * 8 + 4) // 5):
        chars.append(ALPHABET[number & 31])
        number >>= 5
    text = "".join(reversed(chars))
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def decode(code: str, all_slugs: list[str]) -> SheetSpec:
    text = code.strip().upper().replace("-", "").replace(" ", "")
    text = text.replace("O", "0").replace("I", "1").replace("L", "1")
    if not text or len(text) > MAX_CODE or any(c not in ALPHABET for c in text):
        raise CodeError(f"{code!r} is not a variant code")
    number = 0
    for c in text:
        number = number * 32 + ALPHABET.index(c)
    size = len(text) * 5 // 8
    try:
        data = number.to_bytes(size, "big")
    except OverflowError:
        raise CodeError(f"{code!r} is not a variant code") from None
    body, check = data[:-1], data[-1:]
    if not body or bytes([zlib.crc32(body) & 0xFF]) != check:
        raise CodeError(f"{code!r}: checksum does not match (a typo?)")
    values = _read_varints(body)
    if len(values) != 6 or values[0] != VERSION:
        raise CodeError(f"{code!r}: made by another version of drill")
    _, flags, mask, count, seed, variant = values
    if flags >> 1 >= len(KINDS) or mask >> len(all_slugs):
        raise CodeError(f"{code!r}: names chapters this bank folder does not have")
    chapters = tuple(s for i, s in enumerate(all_slugs) if mask >> i & 1)
    return SheetSpec(chapters, count, seed, KINDS[flags >> 1], bool(flags & 1), variant)
