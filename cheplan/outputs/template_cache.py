"""The report templates, compiled once per user rather than on every run.

Jinja2 turns a template into Python code before rendering it: ~50 ms for the report's
template, on every run of a command-line tool that starts afresh each time. Jinja2's
bytecode cache keeps the compiled code; loading it back takes well under a millisecond.

Loading compiled code runs it (marshal and pickle), so an entry is trusted only under the
validation cache's rules (cheplan.loading.cache, cheplan.domain.filesystem), in the same directory:

* the directory is this user's and writable by no one else (created 0700, refused when group-
  or world-writable); an entry is a regular file owned by this user, opened without following
  links and without blocking, and no bigger than MAX_ENTRY_BYTES, checked before reading;
* its MAC verifies: keyed BLAKE2b under this user's secret key (`key`, 0600), over the entry's
  name and payload. Anyone who can write there but cannot read the key cannot forge code.

An entry's name hashes what the compiled code depends on beyond the template's source (which
Jinja2 checks itself): the template's name, the Jinja2 and Python versions, and the options
that shape the generated code (delimiters, whitespace handling, autoescaping, finalize...), so
a change to any of them compiles afresh. CHEPLAN_NO_CACHE=1 turns it off, CHEPLAN_CACHE_DIR
moves it; any failure to read or write only means compiling again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from cheplan.domain.filesystem.private import prune, secret_key, touch, usable_directory, write_entry
from cheplan.domain.filesystem.reading import read_own
from cheplan.loading.cache import cache_dir

PREFIX = "t-"
# A compiled report template is ~60 kB; a few templates and versions fit with room to spare.
MAX_ENTRY_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 8
_MAC_HEX = 64


def compile_options(environment: Any) -> str:
    """What, besides the source, decides the code Jinja2 generates for a template."""
    import jinja2

    finalize = environment.finalize
    return repr(
        (
            jinja2.__version__,
            sys.version,
            environment.block_start_string,
            environment.block_end_string,
            environment.variable_start_string,
            environment.variable_end_string,
            environment.comment_start_string,
            environment.comment_end_string,
            environment.line_statement_prefix,
            environment.line_comment_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.newline_sequence,
            environment.keep_trailing_newline,
            environment.optimized,
            environment.is_async,
            sorted(environment.extensions),
            environment.policies.get("compiler.ascii_str"),
            # True, False, or a function: only which one the generated code can tell apart.
            environment.autoescape if isinstance(environment.autoescape, bool) else "function",
            None if finalize is None else repr(getattr(finalize, "jinja_pass_arg", "plain")),
        )
    )


def _digest(secret: bytes, *parts: bytes) -> str:
    from hashlib import blake2b  # Jinja2 has loaded hashlib already

    digest = blake2b(digest_size=32, key=secret)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def bytecode_cache() -> Any:
    """A Jinja2 bytecode cache in this user's cheplan cache directory, or None if there is none."""
    from jinja2 import BytecodeCache
    from jinja2.bccache import Bucket

    directory = cache_dir()
    if directory is None:
        return None

    class TrustedBytecodeCache(BytecodeCache):
        def __init__(self, directory: Path) -> None:
            self.directory = directory

        def _place(self, bucket: Bucket, *, create: bool) -> tuple[Path, bytes] | None:
            if not usable_directory(self.directory, create=create):
                return None
            secret = secret_key(self.directory, create=create)
            if secret is None:
                return None
            # A name that is public (it says nothing about the secret) and fixes what the code means.
            name = _digest(b"", bucket.key.encode(), compile_options(bucket.environment).encode())
            return self.directory / (PREFIX + name), secret

        def load_bytecode(self, bucket: Bucket) -> None:
            found = self._place(bucket, create=False)
            raw = None if found is None else read_own(found[0], MAX_ENTRY_BYTES)
            if found is None or raw is None:
                return
            path, secret = found
            tag, _, payload = raw.partition(b"\n")
            from hmac import compare_digest

            if len(tag) == _MAC_HEX and compare_digest(tag, _digest(secret, path.name.encode(), payload).encode()):
                bucket.bytecode_from_string(payload)  # checks the source's checksum and Python's version
                touch(path)  # pruning keeps the most recently used

        def dump_bytecode(self, bucket: Bucket) -> None:
            found = self._place(bucket, create=True)
            if found is None:
                return
            path, secret = found
            payload = bucket.bytecode_to_string()
            if len(payload) + _MAC_HEX + 1 > MAX_ENTRY_BYTES:
                return
            try:
                write_entry(path, _digest(secret, path.name.encode(), payload).encode() + b"\n" + payload)
                prune(self.directory, PREFIX, MAX_ENTRIES)
            except OSError:
                pass  # a read-only home or a full disk only costs speed

    return TrustedBytecodeCache(directory)
