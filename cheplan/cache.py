"""Remember which file contents have passed full validation, so reads can skip pydantic.

An officer runs `cheplan overdue` many times on a plan that rarely changes. Importing
pydantic and building its validators costs more than the rest of the command together, so
once a given content (plan plus registers) has passed every schema rule and cross-check with
this exact version of the checking code, later commands rebuild the objects directly.

The key is a hash of the checking code and of every input's bytes: any edit to the plan, a
register, or cheplan itself misses the cache. Entries are empty marker files written
atomically; any failure to read or write the cache just means validating again.
Set CHEPLAN_NO_CACHE=1 to turn it off, CHEPLAN_CACHE_DIR to move it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from cheplan import __version__

# The modules whose code decides whether a plan is valid.
_CHECKING_MODULES = ("yamlsafe", "types", "model", "schema", "checks", "months", "refs")


def cache_dir() -> Path | None:
    if os.environ.get("CHEPLAN_NO_CACHE"):
        return None
    explicit = os.environ.get("CHEPLAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cheplan" / "valid"


def _code_fingerprint() -> bytes:
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for module in _CHECKING_MODULES:
        try:
            digest.update((package / f"{module}.py").read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.digest()


def content_key(texts: list[str]) -> str:
    digest = hashlib.sha256(_code_fingerprint())
    for text in texts:
        encoded = text.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    return digest.hexdigest()


def is_known_valid(key: str) -> bool:
    directory = cache_dir()
    return directory is not None and (directory / key).is_file()


def remember_valid(key: str) -> None:
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        os.close(fd)
        os.replace(temporary, directory / key)
    except OSError:
        pass  # a read-only home or full disk only costs speed
