"""Remember file contents that passed full validation, so reads skip YAML and pydantic.

An officer runs `cheplan overdue` many times on a plan that rarely changes. Parsing the YAML
and building pydantic's validators cost more than the rest of the command together, so once
a given content (plan plus registers) has passed every schema rule and cross-check with this
exact version of the checking code, its parsed data is kept as JSON and later commands
rebuild the objects from it directly.

The key is a hash of the checking code and of every input's bytes: any edit to the plan, a
register, or cheplan itself misses the cache. Entries are written atomically, and only the
newest MAX_ENTRIES are kept; any failure to read or write the cache just means validating
again. Set CHEPLAN_NO_CACHE=1 to turn it off, CHEPLAN_CACHE_DIR to move it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from cheplan import __version__

# Every module of these stages decides what "valid" means or what the cache holds: all are
# hashed, so a new check module (or a split) can never be left out.
_CHECKING_STAGES = ("loading", "domain")
# Changes whenever the content of an entry changes meaning.
_ENTRY_FORMAT = b"parsed-data-json-1"
MAX_ENTRIES = 32


def cache_dir() -> Path | None:
    if os.environ.get("CHEPLAN_NO_CACHE"):
        return None
    explicit = os.environ.get("CHEPLAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cheplan" / "valid"


def _new_digest() -> Any:
    try:
        # hashlib would load OpenSSL first: a few milliseconds on every start for one hash.
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always builds _blake2
        from hashlib import blake2b
    return blake2b(digest_size=32)


def _code_fingerprint() -> bytes:
    digest = _new_digest()
    digest.update(__version__.encode())
    digest.update(_ENTRY_FORMAT)
    package = Path(__file__).parent.parent
    for stage in _CHECKING_STAGES:
        try:
            modules = sorted(os.listdir(package / stage))
        except OSError:
            modules = []
        for module in modules:
            if module.endswith(".py"):
                digest.update(module.encode())
                try:
                    digest.update((package / stage / module).read_bytes())
                except OSError:
                    digest.update(b"?")
    fingerprint: bytes = digest.digest()
    return fingerprint


def content_key(texts: list[str]) -> str:
    digest = _new_digest()
    digest.update(_code_fingerprint())
    for text in texts:
        encoded = text.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    key: str = digest.hexdigest()
    return key


def load_valid(key: str) -> list[Any] | None:
    """The parsed documents (plan, then registers) of content that passed validation, if known."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        raw = (directory / key).read_bytes()
    except OSError:
        return None
    import json

    # The data is used without validating it again, so a damaged entry must never pass as
    # good: each entry starts with a digest of its payload.
    check, _, payload = raw.partition(b"\n")
    if check != _payload_digest(key, payload):
        return None  # an older or damaged entry: validate again, which rewrites it
    try:
        documents = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    return documents if isinstance(documents, list) else None


def _payload_digest(key: str, payload: bytes) -> bytes:
    """Ties the payload to its key: an entry copied or renamed to another key is not trusted."""
    digest = _new_digest()
    digest.update(key.encode("ascii"))
    digest.update(payload)
    hexdigest: str = digest.hexdigest()
    return hexdigest.encode("ascii")


def remember_valid(key: str, documents: list[Any] | None = None) -> None:
    """Keep the parsed documents (`Validation.documents`) of content that has just passed validation.

    Without the documents there is nothing worth keeping: the next read validates once more.
    """
    directory = cache_dir()
    if directory is None or documents is None:
        return
    import json

    try:
        # Parsed YAML is plain JSON data (text keys, timestamps kept as text), so it round-trips.
        payload = json.dumps(documents, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(directory / key, _payload_digest(key, payload) + b"\n" + payload)
        _prune(directory)
    except OSError:
        pass  # a read-only home or full disk only costs speed


def _write_atomically(path: Path, payload: bytes) -> None:
    import tempfile

    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _prune(directory: Path) -> None:
    """Keep the newest MAX_ENTRIES: every edit of a plan makes a new entry."""
    entries = [entry for entry in os.scandir(directory) if not entry.name.startswith(".")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime, reverse=True)
    for entry in entries[MAX_ENTRIES:]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
