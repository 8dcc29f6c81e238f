"""Hand-built Office containers for the bad-input tests (no binaries committed)."""

from __future__ import annotations

import struct


def ole_with_stream(name: str) -> bytes:
    """A minimal OLE2 file with one (empty) stream called `name`."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0] = sector 0 holds the FAT
    for k in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * k, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)  # FAT sector, directory end
    directory = bytearray(sector)

    def entry(k: int, entry_name: str, kind: int, child: int) -> None:
        raw = entry_name.encode("utf-16-le") + b"\x00\x00"
        base = 128 * k
        directory[base : base + len(raw)] = raw
        struct.pack_into("<HBB", directory, base + 64, len(raw), kind, 1)
        struct.pack_into("<III", directory, base + 68, 0xFFFFFFFF, 0xFFFFFFFF, child)
        struct.pack_into("<II", directory, base + 116, 0xFFFFFFFE, 0)

    entry(0, "Root Entry", 5, 1)
    entry(1, name, 2, 0xFFFFFFFF)
    for k in (2, 3):
        struct.pack_into("<III", directory, 128 * k + 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    return bytes(header + fat + directory)
