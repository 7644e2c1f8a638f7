"""The coordinator's key that signs returns workbooks: where it is, made once, never shared.

It is kept as the validation cache's key is (:mod:`cheplan.domain.filesystem.private`): 32 random
bytes in a 0600 file of this user's, in a 0700 directory no one else can write to, created
without ever replacing a file already there, and read only when it is still all that. By
default it is `returns-key` in the user's configuration directory ($XDG_CONFIG_HOME/cheplan,
else ~/.config/cheplan), which is never a cache a tool may clear: a lost key makes every
workbook already sent out unverifiable. CHEPLAN_RETURNS_KEY_FILE names another file, for a
coordinators' shared account.
"""

from __future__ import annotations

import os
from pathlib import Path

from cheplan.domain.errors import UnreadableInputError
from cheplan.domain.filesystem.private import secret_key, usable_directory
from cheplan.loading.locate import display_name

KEY_FILE_ENV = "CHEPLAN_RETURNS_KEY_FILE"
KEY_FILE_NAME = "returns-key"
_NONE = (
    "does not exist: only workbooks exported with this coordinator's key can be imported"
    f" (set {KEY_FILE_ENV} to that key's file)"
)


def returns_key_path() -> Path:
    explicit = os.environ.get(KEY_FILE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "cheplan" / KEY_FILE_NAME


def returns_key(*, create: bool) -> bytes:
    """The key (made first when `create`, for an export); UnreadableInputError saying why when there is none."""
    path = returns_key_path()
    if not create and not path.parent.exists():
        raise UnreadableInputError(f"the returns key {display_name(path)} {_NONE}")
    if not usable_directory(path.parent, create=create):
        raise UnreadableInputError(
            f"the returns key's folder {display_name(path.parent)} is missing, not yours, or writable by others; set"
            f" {KEY_FILE_ENV} to a private file of yours"
        )
    key = secret_key(path.parent, create=create, name=path.name)
    if key is not None:
        return key
    if path.exists() or path.is_symlink():
        why = "is not a private (0600) file of yours holding 32 bytes; cheplan will not use it"
    elif create:
        why = "could not be created"
    else:
        why = _NONE
    raise UnreadableInputError(f"the returns key {display_name(path)} {why}")
