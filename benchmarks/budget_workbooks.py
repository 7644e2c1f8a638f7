"""The returns workbooks benchmarks/budgets.py measures: bombs within every byte cap, workbooks
at the element budget, and an import of as many files as one import takes.

Each starts from a real export of the shipped plan (made once, with a benchmark key in
benchmarks/out that the measured imports use too). A bomb must be refused (exit 2), and a
workbook at the budget read, within 256 MiB and 5 s; the import of many files within 512 MiB.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
KEY_FILE = OUT / "budget-returns-key"
PLAN = REPO / "data" / "plan_2020_21.yaml"
AS_OF = "2020-12-15"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK_PEAK_MIB, WORKBOOK_SECONDS = 256, 5.0


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEPLAN_")}
    env["CHEPLAN_RETURNS_KEY_FILE"] = str(KEY_FILE)
    env["PYTHONPATH"] = str(REPO)
    return env


def _limits() -> tuple[int, int]:
    text = (REPO / "cheplan" / "loading" / "workbook_parts.py").read_text(encoding="utf-8")
    elements = re.search(r"^MAX_ELEMENTS = ([0-9_]+)$", text, re.MULTILINE)
    text = (REPO / "cheplan" / "loading" / "workbook.py").read_text(encoding="utf-8")
    files = re.search(r"^MAX_IMPORT_FILES = ([0-9_]+)$", text, re.MULTILINE)
    if elements is None or files is None:
        raise SystemExit("MAX_ELEMENTS or MAX_IMPORT_FILES not found in cheplan/loading")
    return int(elements.group(1).replace("_", "")), int(files.group(1).replace("_", ""))


MAX_ELEMENTS, MAX_IMPORT_FILES = _limits()


def exports() -> dict[str, bytes]:
    """Every organisation's workbook of the shipped plan, by organisation id (exported once)."""
    folder = OUT / "budget-exports"
    if not folder.is_dir():
        OUT.mkdir(parents=True, exist_ok=True)
        partial = OUT / "budget-exports.partial"
        shutil.rmtree(partial, ignore_errors=True)
        command = [sys.executable, "-m", "cheplan", "returns", "export", "--out", str(partial)]
        subprocess.run(
            [*command, "--plan", str(PLAN), "--as-of", AS_OF], check=True, env=environment(), capture_output=True
        )
        partial.rename(folder)
    return {p.stem.removeprefix("returns-"): p.read_bytes() for p in sorted(folder.glob("*.xlsx"))}


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _elements(data: bytes) -> int:
    """The elements on the fixed budget: every part but the worksheets (those have the row cap's)."""
    parts = [part for name, part in _parts(data).items() if not name.startswith("xl/worksheets/")]
    return sum(part.count(b"<") - part.count(b"</") - part.count(b"<?") for part in parts)


def _spaced(item: str, count: int) -> str:
    """`count` items, each followed by one of four whitespace characters at random: the part
    then inflates less than 200 times, as the review's bomb did, and passes every byte check."""
    return "".join(item + space for space in random.Random(0).choices(" \n\t\r", k=count))


def padded(kind: str, count: int | None) -> Callable[[Path], None]:
    """The NPS export with `count` more elements of one kind (None: as many as the budget leaves)."""

    def make(path: Path) -> None:
        base = exports()["nps"]
        parts = _parts(base)
        extra = MAX_ELEMENTS - _elements(base) - 50 if count is None else count  # 50: a margin for the estimate
        if kind in ("xf", "font"):
            tag = "cellXfs" if kind == "xf" else "fonts"
            text = parts["xl/styles.xml"].decode()
            text = text.replace(f"</{tag}>", _spaced(f"<{kind}/>", extra) + f"</{tag}>")
            parts["xl/styles.xml"] = text.encode()
        elif kind == "definedName":
            names = "".join(f'<definedName name="n{i}">Return!$A$1</definedName>' for i in range(extra))
            text = (
                parts["xl/workbook.xml"].decode().replace("</sheets>", f"</sheets><definedNames>{names}</definedNames>")
            )
            parts["xl/workbook.xml"] = text.encode()
        elif kind == "attribute":  # one <xf> carrying them all
            attributes = " ".join(f"a{i:x}=''" for i in range(extra))
            text = parts["xl/styles.xml"].decode()
            parts["xl/styles.xml"] = text.replace("</cellXfs>", f"<xf {attributes}/></cellXfs>").encode()
        elif kind == "cell":  # the Return sheet: one cell in column GR (the 200th) on every row
            rows = "".join(f'<row r="{r}"><c r="GR{r}"><v>1</v></c></row>' for r in range(1, extra + 1))
            parts["xl/worksheets/sheet2.xml"] = (
                f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
            )
        elif kind == "sheet":  # the Return sheet: `extra` rows of 31 numeric cells, 63 elements a row
            cells = [chr(ord("A") + c) if c < 26 else "A" + chr(ord("A") + c - 26) for c in range(31)]
            rows = "".join(
                f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in cells) + "</row>"
                for r in range(1, extra + 1)
            )
            parts["xl/worksheets/sheet2.xml"] = (
                f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
            )
        else:  # shared strings: two elements each
            strings = _spaced("<si><t>a</t></si>", extra // 2)
            parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{strings}</sst>'.encode()
            types = parts["[Content_Types].xml"].decode()
            override = (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            )
            parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
        path.write_bytes(_zip(parts))

    return make


def filled(data: bytes, note_chars: int) -> bytes:
    """The workbook with every row of its Return sheet typed in: in progress, a date, a long note."""
    parts = _parts(data)
    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    typed = {"H": "in progress", "I": "2020-12-01", "J": "n" * note_chars}

    def cell(found: re.Match[str]) -> str:
        column, row, style = found.group(1), found.group(2), found.group(3)
        text = typed[column]
        return f'<c r="{column}{row}" s="{style}" t="inlineStr"><is><t>{text}</t></is></c>'

    sheet = re.sub(r'<c r="([HIJ])([0-9]+)" s="([0-9]+)" t="n" />', cell, sheet)
    parts["xl/worksheets/sheet2.xml"] = sheet.encode()
    return _zip(parts)


def many_files(count: int, note_chars: int = 0) -> Callable[[Path], None]:
    """`count` workbooks: the shipped plan's exports over and over, each a file of its own,
    named after `path` (which is written last, so a half-made set is made again); with
    `note_chars`, every row typed in with a note that long."""

    def make(path: Path) -> None:
        books = [filled(book, note_chars) if note_chars else book for book in exports().values()]
        for number in range(1, count):
            (path.parent / f"{path.stem}-{number}.xlsx").write_bytes(books[number % len(books)])
        path.write_bytes(books[0])

    return make


def many_files_arguments(count: int) -> Callable[[Path], list[str]]:
    def arguments(path: Path) -> list[str]:
        return [path.name, *(f"{path.stem}-{number}.xlsx" for number in range(1, count))]

    return arguments
