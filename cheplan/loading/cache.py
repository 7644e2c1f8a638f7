"""Remember file contents that passed full validation, so reads skip YAML and pydantic.

An officer runs `cheplan overdue` many times on a plan that rarely changes. Parsing the YAML
and building pydantic's validators cost more than the rest of the command together, so once
a given content (plan plus registers) has passed every schema rule and cross-check with this
exact checking code, its parsed data is kept as JSON and later commands rebuild the objects
from it directly.

The key is a hash of the checking code (every module of cheplan/loading and cheplan/domain),
of the installed versions of PyYAML, pydantic and pydantic-core (read from their dist-info
directory names, so nothing is imported), and of every input's bytes: any edit to the plan,
a register, cheplan or those libraries misses the cache.

The data is used without being validated again, so an entry is trusted only when:

* it is a regular file owned by this user, in a directory owned by this user that no one
  else can write (created 0700), opened without following links and without blocking, and
  smaller than MAX_ENTRY_BYTES, checked before reading (domain/filesystem);
* its MAC verifies: keyed BLAKE2b (RFC 7693, a MAC in its own right: used instead of HMAC
  because it needs no OpenSSL import on every start) under this user's secret key, 32
  random bytes in `key` (0600) in the cache directory, over the entry's key and payload.
  Anyone who can write to the directory but cannot read the key cannot forge an entry, and
  an entry copied to another key does not verify. Do not share or restore the cache
  directory from elsewhere (a CI cache, a copied home): that would copy the key too.

Eviction: entries live in two pools, by which command stored them. Read commands (`overdue`,
`due`, `actions`, `trace`, `update`...) store `r-KEY`; `validate` stores `v-KEY`. Each pool
keeps its MAX_ENTRIES most recently *used* entries (a hit marks the entry used), so a
300-file `validate` run (pre-commit) only cycles the validate pool and never evicts the
officer's everyday plan. A read that hits a validate entry moves it into the read pool.
Temporary files left by interrupted writes are removed once an hour old. Any failure to read
or write the cache only means validating again. CHEPLAN_NO_CACHE=1 turns it off,
CHEPLAN_CACHE_DIR moves it.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any, Literal

from cheplan import __version__
from cheplan.domain.errors import UnreadableInputError
from cheplan.domain.filesystem.private import move, prune, secret_key, touch, usable_directory, write_entry
from cheplan.domain.filesystem.reading import is_folder, is_own_file, names_in, read_own, read_regular, status_of

# Every module of these stages decides what "valid" means or what the cache holds: all are
# hashed, so a new check module (or a split) can never be left out.
_CHECKING_STAGES = ("loading", "domain")
# The libraries whose behaviour decides what "valid" means: (import name, distribution name).
_CHECKING_LIBRARIES = (("yaml", "pyyaml"), ("pydantic", "pydantic"), ("pydantic_core", "pydantic_core"))
# Changes whenever the content of an entry changes meaning.
_ENTRY_FORMAT = b"parsed-data-json-2"
MAX_ENTRIES = 32
# Parsed data of the largest plan cheplan accepts, with room to spare; an entry over this is
# neither written nor read.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_MAC_BYTES = 32
Pool = Literal["read", "validate"]
_PREFIX: dict[Pool, str] = {"read": "r-", "validate": "v-"}


def cache_dir() -> Path | None:
    if os.environ.get("CHEPLAN_NO_CACHE"):
        return None
    explicit = os.environ.get("CHEPLAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cheplan" / "valid"


def _blake2b(key: bytes = b"") -> Any:
    try:
        # hashlib would load OpenSSL first: a few milliseconds on every start for one hash.
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always builds _blake2
        from hashlib import blake2b
    return blake2b(digest_size=32, key=key)


def library_versions(search_path: list[str] | None = None) -> list[str]:
    """The installed version of each checking library, as `name-version` from its dist-info.

    Found the way the import system would find the package (the first entry of sys.path
    holding it), without importing it. A package without dist-info metadata is identified
    by its __init__.py's size and modification time instead.
    """
    found = []
    for module, distribution in _CHECKING_LIBRARIES:
        for entry in search_path if search_path is not None else sys.path:
            if is_folder(Path(entry or ".", module)):
                found.append(_version_in(entry or ".", module, distribution))
                break
        else:
            found.append(f"{distribution}-absent")
    return found


def _version_in(directory: str, module: str, distribution: str) -> str:
    names = names_in(Path(directory))
    # A dist-info directory is named `{name with - as _}-{version}.dist-info`, any case.
    versions = sorted(
        name
        for name in names
        if name.endswith(".dist-info") and name.partition("-")[0].lower().replace(".", "_") == distribution
    )
    if versions:
        return ",".join(versions)
    info = status_of(Path(directory, module, "__init__.py"))
    if info is None:
        return f"{distribution}-unknown"
    return f"{distribution}-{info.st_size}-{info.st_mtime_ns}"


@functools.cache
def _code_fingerprint() -> bytes:
    """What the checking code is: computed once per run (a multi-file `validate` asks per file)."""
    digest = _blake2b()
    digest.update(__version__.encode())
    digest.update(_ENTRY_FORMAT)
    for version in library_versions():
        digest.update(version.encode() + b"\0")
    package = Path(__file__).parent.parent
    for stage in _CHECKING_STAGES:
        for module in names_in(package / stage):
            if module.endswith(".py"):
                digest.update(module.encode())
                try:
                    digest.update(read_regular(package / stage / module, module))
                except UnreadableInputError:
                    digest.update(b"?")
    fingerprint: bytes = digest.digest()
    return fingerprint


def content_key(texts: list[str]) -> str:
    digest = _blake2b()
    digest.update(_code_fingerprint())
    for text in texts:
        encoded = text.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    key: str = digest.hexdigest()
    return key


def _mac(secret: bytes, key: str, payload: bytes | list[bytes]) -> bytes:
    """Ties the payload (or its pieces, in order) to its key under the user's secret: no one
    without it can make one."""
    digest = _blake2b(secret)
    digest.update(key.encode("ascii"))
    for piece in [payload] if isinstance(payload, bytes) else payload:
        digest.update(piece)
    tag: bytes = digest.hexdigest().encode("ascii")
    return tag


def load_valid(key: str) -> list[Any] | None:
    """The parsed documents (plan, then registers) of content that passed validation, if known.

    A hit marks the entry used; a hit in the validate pool moves it to the read pool.
    """
    directory = cache_dir()
    if directory is None or not usable_directory(directory, create=False):
        return None
    secret = secret_key(directory, create=False)
    if secret is None:
        return None
    for pool in ("read", "validate"):
        path = directory / (_PREFIX[pool] + key)
        documents = _verified(secret, key, path)
        if documents is not None:
            if pool == "read":
                touch(path)
            else:
                _promote(path, directory / (_PREFIX["read"] + key))
            return documents
    return None


def _verified(secret: bytes, key: str, path: Path) -> list[Any] | None:
    """The documents of the entry at `path`, if it is there, trusted and its MAC verifies."""
    import json

    # hmac.compare_digest is this function; importing hmac would load OpenSSL on every start.
    from _operator import _compare_digest as compare_digest

    raw = read_own(path, MAX_ENTRY_BYTES)
    if raw is None:
        return None
    tag, _, payload = raw.partition(b"\n")
    del raw  # the entry is not kept twice while its payload is decoded
    if len(tag) != 2 * _MAC_BYTES or not compare_digest(tag, _mac(secret, key, payload)):
        return None  # forged, damaged or older: validate again, which rewrites it
    try:
        documents = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    return documents if isinstance(documents, list) else None


def _promote(source: Path, target: Path) -> None:
    if not move(source, target):
        return
    touch(target)
    prune(target.parent, _PREFIX["read"], MAX_ENTRIES)


def remember_valid(key: str, documents: list[Any] | None = None, *, pool: Pool = "read") -> None:
    """Keep the parsed documents (`Validation.documents`) of content that has just passed validation.

    `pool` says who asks: "read" for commands an officer runs on their plan every day,
    "validate" for `validate`, which may be given hundreds of files at once.
    Without the documents there is nothing worth keeping: the next read validates once more.
    """
    directory = cache_dir()
    if directory is None or documents is None or not usable_directory(directory, create=True):
        return
    secret = secret_key(directory, create=True)
    if secret is None:
        return
    if pool == "validate" and is_own_file(directory / (_PREFIX["read"] + key)):
        return  # already kept for the everyday commands
    try:
        # Parsed YAML is plain JSON data (text keys, timestamps kept as text), so it round-trips.
        pieces = [piece.encode("utf-8") for piece in _json_pieces(documents, 0)]
    except (TypeError, ValueError, RecursionError):
        return
    if sum(map(len, pieces)) + 2 * _MAC_BYTES + 1 > MAX_ENTRY_BYTES:
        return
    try:
        write_entry(directory / (_PREFIX[pool] + key), [_mac(secret, key, pieces) + b"\n", *pieces])
        prune(directory, _PREFIX[pool], MAX_ENTRIES)
    except OSError:
        pass  # a read-only home or full disk only costs speed


# Items of a long list encoded in one piece: a large plan's entry is never one string and one
# bytes copy of itself at once (with a 54 MB plan that was 150 MB more at the peak).
_ITEMS_PER_PIECE = 2_000


def _json_pieces(value: Any, depth: int) -> list[str]:
    """`json.dumps(value, ensure_ascii=False, separators=(",", ":"))` in pieces, exactly: the
    documents, their top-level values and a long list's slices are encoded apart."""
    import json

    def dumps(part: Any) -> str:
        return json.dumps(part, ensure_ascii=False, separators=(",", ":"))

    if depth > 2 or not isinstance(value, (dict, list)) or not value:
        return [dumps(value)]
    pieces: list[str] = []
    if isinstance(value, dict):
        for n, (name, part) in enumerate(value.items()):
            pieces.append(("{" if n == 0 else ",") + dumps(name) + ":")
            pieces += _json_pieces(part, depth + 1)
        return [*pieces, "}"]
    if depth == 2 and len(value) > _ITEMS_PER_PIECE:
        for start in range(0, len(value), _ITEMS_PER_PIECE):
            pieces.append(("[" if start == 0 else ",") + dumps(value[start : start + _ITEMS_PER_PIECE])[1:-1])
        return [*pieces, "]"]
    for n, part in enumerate(value):
        pieces.append("[" if n == 0 else ",")
        pieces += _json_pieces(part, depth + 1)
    return [*pieces, "]"]
