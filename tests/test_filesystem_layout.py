"""domain/filesystem is the only code that changes the file system.

Every write, rename, removal, lock and temporary file goes through it, so the promises it keeps
(atomic, owner and mode kept, streams written not replaced, caps checked) cannot be bypassed by
a module that opens a file for writing on its own. Checked on the source: a call that writes is
found wherever it is, even on a path no test runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cheplan"
HOME = PACKAGE / "domain" / "filesystem"
# Functions of these modules that change the file system (or lock, or make temporary files).
WRITING = {
    "os": {
        "replace",
        "rename",
        "renames",
        "unlink",
        "remove",
        "rmdir",
        "removedirs",
        "mkdir",
        "makedirs",
        "link",
        "symlink",
        "fsync",
        "fdatasync",
        "chmod",
        "fchmod",
        "chown",
        "fchown",
        "lchown",
        "utime",
        "truncate",
        "ftruncate",
        "mkfifo",
        "mknod",
        "open",
    },
    "shutil": {"move", "rmtree", "copy", "copy2", "copyfile", "copytree", "copymode", "copystat", "chown"},
    "tempfile": {"mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile", "TemporaryDirectory"},
    "fcntl": {"flock", "lockf", "fcntl"},
}
# pathlib methods that change the file system (`replace` is left out: str.replace is everywhere).
PATH_WRITING = {"write_text", "write_bytes", "unlink", "mkdir", "rmdir", "touch", "chmod", "symlink_to", "hardlink_to"}
# Each exception, with its reason.
ALLOWED = {
    # After a broken pipe, stdout is pointed at /dev/null so that Python's last flush is silent.
    ("cli/app.py", "os.open"),
    ("cli/commands/__init__.py", "os.open"),
}


def writing_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Attribute):
            base = function.value
            if isinstance(base, ast.Name) and function.attr in WRITING.get(base.id, set()):
                found.append(f"{base.id}.{function.attr}")
            elif function.attr in PATH_WRITING and not (isinstance(base, ast.Name) and base.id in WRITING):
                found.append(f".{function.attr}")
        elif isinstance(function, ast.Name) and function.id == "open" and _writes(node):
            found.append("open")
    return found


def _writes(call: ast.Call) -> bool:
    """Whether a builtin open() call may write: a mode with w, a, x or +, or a mode not written out."""
    modes = [*call.args[1:2], *(k.value for k in call.keywords if k.arg == "mode")]
    return any(
        not (isinstance(m, ast.Constant) and isinstance(m.value, str)) or set(m.value) & set("wax+") for m in modes
    )


def test_only_the_filesystem_module_writes() -> None:
    outside = {
        (str(path.relative_to(PACKAGE)), call)
        for path in PACKAGE.rglob("*.py")
        if HOME not in path.parents
        for call in writing_calls(path)
    }
    assert outside - ALLOWED == set()


def test_the_check_finds_each_kind_of_write(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text(
        "import os, shutil, tempfile\n"
        "def f(p, q):\n"
        "    os.replace(p, q); shutil.rmtree(p); tempfile.mkstemp(); p.write_bytes(b'x')\n"
        "    open(p, 'w'); open(p, mode='ab'); open(p, 'rb'); 'a'.replace('a', 'b')\n",
        encoding="utf-8",
    )
    assert writing_calls(module) == [
        "os.replace",
        "shutil.rmtree",
        "tempfile.mkstemp",
        ".write_bytes",
        "open",
        "open",
    ]
