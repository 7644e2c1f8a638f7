"""Read a plan or register file as UTF-8 text, or say exactly why it cannot be read."""

from __future__ import annotations

from pathlib import Path as FsPath

from cheplan.domain.errors import UnreadableInputError
from cheplan.domain.filesystem.reading import read_regular


def read_text(path: FsPath, display: str) -> str:
    """Read a regular file as UTF-8 text (a UTF-8 BOM is allowed) or explain why it cannot be.

    Only a regular file under the size cap is read, and never waited on (domain.filesystem).
    """
    return decode_utf8(read_regular(path, display), display)


def decode_utf8(raw: bytes, display: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableInputError(
            f"{display}: file is encoded as UTF-16 (or UTF-32); cheplan reads UTF-8 only. Save it as UTF-8."
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul != -1:
        hint = (
            "it looks like UTF-16 without a byte-order mark; save it as UTF-8"
            if raw[1::2].count(0) > len(raw) // 4 or raw[0::2].count(0) > len(raw) // 4
            else "this is not a text file"
        )
        line, col = _line_col_of_byte(raw, nul)
        raise UnreadableInputError(f"{display}:{line}:{col}: NUL byte in file; {hint}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_byte(raw, exc.start)
        raise UnreadableInputError(
            f"{display}:{line}:{col}: not valid UTF-8 (byte 0x{raw[exc.start]:02x});"
            " cheplan reads UTF-8 only. Save the file as UTF-8."
        ) from None


def _line_col_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    prefix = raw[line_start:offset].decode("utf-8", errors="replace")
    return raw.count(b"\n", 0, offset) + 1, len(prefix) + 1
