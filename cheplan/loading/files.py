"""Read a plan or register file as UTF-8 text, or say exactly why it cannot be read."""

from __future__ import annotations

import os
import stat
from pathlib import Path as FsPath

from cheplan.domain.errors import UnreadableInputError

MAX_FILE_BYTES = 64 * 1024 * 1024


def read_text(path: FsPath, display: str) -> str:
    """Read a regular file as UTF-8 text (a UTF-8 BOM is allowed) or explain why it cannot be.

    Only a regular file is read. The file is opened without blocking (a FIFO would otherwise
    wait for a writer for ever) and what it is comes from fstat of that open file, so a
    directory, a pipe or a device (/dev/zero, /dev/null) is refused at once, by name.
    """
    return decode_utf8(read_bytes(path, display), display)


def read_bytes(path: FsPath, display: str) -> bytes:
    """A regular file's bytes, refused as :func:`read_text` refuses (never blocks, size capped)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise UnreadableInputError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise UnreadableInputError(f"{display}: is a directory, not a file") from None
    except PermissionError:
        raise UnreadableInputError(f"{display}: permission denied") from None
    except OSError as exc:
        raise UnreadableInputError(f"{display}: cannot be read ({exc.strerror})") from None
    try:
        return _read_regular(fd, display)
    finally:
        os.close(fd)


_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_NOT_A_FILE = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a pipe (FIFO), not a file; cheplan reads regular files only"),
    (stat.S_ISCHR, "is a device, not a file; cheplan reads regular files only"),
    (stat.S_ISBLK, "is a device, not a file; cheplan reads regular files only"),
    (stat.S_ISSOCK, "is a socket, not a file; cheplan reads regular files only"),
)


def _read_regular(fd: int, display: str) -> bytes:
    try:
        info = os.fstat(fd)
        for test, what in _NOT_A_FILE:
            if test(info.st_mode):
                raise UnreadableInputError(f"{display}: {what}")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableInputError(f"{display}: not a regular file; cheplan reads regular files only")
        if info.st_size > MAX_FILE_BYTES:
            raise UnreadableInputError(
                f"{display}: file is {info.st_size:,} bytes; cheplan reads plans up to {MAX_FILE_BYTES:,}"
            )
        # Read at most one byte past the limit, in case the file grew after fstat; asking for
        # the limit at once would allocate all 64 MiB for a file of a few kilobytes.
        with open(fd, "rb", closefd=False) as stream:
            raw = stream.read(info.st_size + 1)
            if len(raw) > info.st_size:
                raw += stream.read(MAX_FILE_BYTES + 1 - len(raw))
    except OSError as exc:
        raise UnreadableInputError(f"{display}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise UnreadableInputError(f"{display}: more than {MAX_FILE_BYTES:,} bytes; cheplan reads plans up to that")
    return raw


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
