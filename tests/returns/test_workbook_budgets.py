"""Workbooks within every byte cap that would make openpyxl build too much: refused before it
sees them, with the part named; and the limits of one import (files, inflated bytes)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from cheplan.loading import workbook, workbook_parts
from cheplan.loading.workbook import MAX_CELLS, MAX_IMPORT_FILES, read_workbook
from cheplan.loading.workbook_parts import MAX_ATTRIBUTES, MAX_ELEMENTS, MAX_TAG_BYTES, count_elements
from tests.conftest import SHIPPED_PLAN, RunCli
from tests.returns.test_hostile_workbooks import WANTED, real_export, refusal, rezip
from tests.returns.workbooks import AS_OF

__all__ = ["real_export"]  # the fixture, shared with the hostile-workbook tests

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def elements_in(data: bytes) -> int:
    return sum(count_elements(name, part, 10**9, 10**9)[0] for name, part in parts_of(data).items())


def padded(real_export: bytes, part: str, pattern: str, filler: str, count: int) -> bytes:
    """The export with `count` copies of `filler` inserted after the first match of `pattern` in `part`."""
    text = parts_of(real_export)[part].decode()
    found = re.search(pattern, text)
    assert found is not None, (part, pattern)
    return rezip(real_export, {part: (text[: found.end()] + filler * count + text[found.end() :]).encode()})


def bomb(real_export: bytes, kind: str, count: int) -> tuple[bytes, str]:
    """A workbook padded with `count` elements of one kind; the part they are in."""
    if kind == "styles":
        return padded(real_export, "xl/styles.xml", r"<cellXfs[^>]*>", "<xf/>", count), "xl/styles.xml"
    if kind == "fonts":
        return padded(real_export, "xl/styles.xml", r"<fonts[^>]*>", "<font/>", count), "xl/styles.xml"
    if kind == "defined names":
        names = "".join(f'<definedName name="n{i}">Return!$A$1</definedName>' for i in range(count))
        text = (
            parts_of(real_export)["xl/workbook.xml"]
            .decode()
            .replace("</sheets>", f"</sheets><definedNames>{names}</definedNames>")
        )
        return rezip(real_export, {"xl/workbook.xml": text.encode()}), "xl/workbook.xml"
    strings = f'<sst xmlns="{MAIN}">' + "<si><t>a</t></si>" * (count // 2) + "</sst>"
    return rezip(real_export, {"xl/sharedStrings.xml": strings.encode()}), "xl/sharedStrings.xml"


@pytest.mark.parametrize("kind", ["styles", "fonts", "shared strings", "defined names"])
def test_an_element_bomb_is_refused_before_openpyxl_builds_it(
    tmp_path: Path, real_export: bytes, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    data, part = bomb(real_export, kind, MAX_ELEMENTS + 2)
    assert len(data) < 1024 * 1024  # within every byte cap: only the count refuses it

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl saw a workbook past the element budget")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    message = refusal(tmp_path, data)
    assert f"part {part!r} takes the workbook past {MAX_ELEMENTS:,} XML elements" in message
    assert "possible memory bomb" in message


def test_a_bomb_within_every_byte_cap_is_refused(tmp_path: Path, real_export: bytes) -> None:
    # As the review's: millions of `<xf/>` with varied whitespace between them, so the part
    # stays under 16 MiB and inflates less than 200 times.
    import random

    spaces = random.Random(0).choices(" \n\t\r", k=2_700_000)
    text = (
        parts_of(real_export)["xl/styles.xml"]
        .decode()
        .replace("</cellXfs>", "".join(f"<xf/>{s}" for s in spaces) + "</cellXfs>")
    )
    data = rezip(real_export, {"xl/styles.xml": text.encode()})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/styles.xml")
    assert workbook.RATIO_FLOOR < info.file_size < workbook.MAX_PART_BYTES
    assert info.file_size < workbook.MAX_RATIO * info.compress_size
    assert "part 'xl/styles.xml' takes the workbook past" in refusal(tmp_path, data)


def test_the_budget_counts_every_part_exactly(
    tmp_path: Path, real_export: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    declared: list[tuple[str, str]] = []
    count_elements("types", parts_of(real_export)["[Content_Types].xml"], 10**9, 10**9, overrides=declared)
    sheets = workbook_parts.worksheet_parts(declared)  # on the worksheets' own budget
    assert sheets == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"}
    in_sheets = sum(count_elements(n, p, 10**9, 10**9)[0] for n, p in parts_of(real_export).items() if n in sheets)
    total = elements_in(real_export) - in_sheets
    path = tmp_path / "ok.xlsx"
    path.write_bytes(real_export)
    monkeypatch.setattr(workbook_parts, "MAX_ELEMENTS", total)
    assert read_workbook(path, "ok.xlsx", WANTED).sheets["Return"].rows
    monkeypatch.setattr(workbook_parts, "MAX_ELEMENTS", total - 1)
    assert "XML elements" in refusal(tmp_path, real_export)


def test_counting_stops_at_the_budget() -> None:
    text = b"<a>" + b"<b/>" * 1000 + b"</a>"
    with pytest.raises(workbook_parts.TooManyElements) as caught:
        count_elements("p.xml", text, 10)
    assert caught.value.part == "p.xml"
    assert count_elements("p.xml", text, 1001) == (1001, 0)
    assert count_elements("image.png", b"\x89PNG\r\n\x1a\n<a/>", 10) == (0, 0)  # not XML: nothing built


def test_too_many_attributes_are_refused(tmp_path: Path, real_export: bytes) -> None:
    per_tag = 5_000  # each tag well under MAX_TAG_BYTES: counted, not cut short
    tags = "".join(
        "<xf " + " ".join(f"a{i:x}=''" for i in range(per_tag)) + "/>" for _ in range(MAX_ATTRIBUTES // per_tag + 1)
    )
    data = padded(real_export, "xl/styles.xml", r"<cellXfs[^>]*>", tags, 1)
    message = refusal(tmp_path, data)
    assert f"part 'xl/styles.xml' takes the workbook past {MAX_ATTRIBUTES:,} XML attributes" in message


def test_one_tag_too_long_to_count_is_refused_before_it_is_parsed(
    tmp_path: Path, real_export: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    attributes = " ".join(f"a{i:x}=''" for i in range(MAX_TAG_BYTES // 4))
    data = padded(real_export, "xl/styles.xml", r"<cellXfs[^>]*>", f"<xf {attributes}/>", 1)

    def counted(part: str, data: bytes, *budgets: Any) -> tuple[int, int]:
        assert part != "xl/styles.xml", "expat was handed a tag past MAX_TAG_BYTES"
        return count_elements(part, data, *budgets)

    monkeypatch.setattr(workbook_parts, "count_elements", counted)
    message = refusal(tmp_path, data)
    assert f"part 'xl/styles.xml' holds an XML tag longer than {MAX_TAG_BYTES:,} bytes" in message


@pytest.mark.parametrize("part", ["xl/media/image1.png", "customXml/item1", "xl/styles.xml.bak", "docProps/thumbnail"])
def test_a_doctype_is_refused_whatever_the_part_is_named(tmp_path: Path, real_export: bytes, part: str) -> None:
    message = refusal(tmp_path, rezip(real_export, {part: b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "a"><x/>'}))
    assert f"part {part!r} declares a DOCTYPE or XML entities" in message


def test_a_doctype_the_byte_check_misses_is_refused_by_the_parse(
    tmp_path: Path, real_export: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook_parts, "declares_doctype", lambda data: False)
    hidden = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    message = refusal(tmp_path, rezip(real_export, {"xl/theme/theme1.xml": hidden}))
    assert "part 'xl/theme/theme1.xml' declares a DOCTYPE" in message


def test_a_sheet_padded_to_its_last_column_is_refused_at_the_cell_budget(tmp_path: Path, real_export: bytes) -> None:
    rows = "".join(f'<row r="{r}"><c r="GR{r}"><v>1</v></c></row>' for r in range(1, 2_001))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
    assert MAX_CELLS < 200 * 2_000
    message = refusal(tmp_path, rezip(real_export, {"xl/worksheets/sheet2.xml": sheet.encode()}))
    assert f"sheet 'Return' takes the workbook past {MAX_CELLS:,} cells" in message


def test_trailing_empty_cells_are_not_kept(tmp_path: Path, real_export: bytes) -> None:
    path = tmp_path / "ok.xlsx"
    path.write_bytes(real_export)
    rows = read_workbook(path, "ok.xlsx", WANTED).sheets["Return"].rows
    header = 3  # rows 1 and 2: the 'Date of this return' cell and where the return goes back
    assert [len(row) for row in rows[header:]] == [7] * (len(rows) - header)  # the input columns are empty


def test_an_import_of_too_many_files_is_a_usage_error(cli: RunCli, tmp_path: Path) -> None:
    files = [tmp_path / f"r{i}.xlsx" for i in range(MAX_IMPORT_FILES + 1)]
    result = cli("returns", "import", *files, "--plan", SHIPPED_PLAN, "--as-of", AS_OF)
    assert result.code == 2
    assert f"{MAX_IMPORT_FILES + 1} workbooks in one import (at most {MAX_IMPORT_FILES})" in result.stderr


def test_an_import_past_its_inflated_bytes_is_refused_at_the_file_that_passes_it(
    cli: RunCli, tmp_path: Path, real_export: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = sum(len(part) for part in parts_of(real_export).values())
    monkeypatch.setattr(workbook, "MAX_IMPORT_BYTES", one * 2)
    files = []
    for number in range(3):
        files.append(tmp_path / f"r{number}.xlsx")
        files[-1].write_bytes(real_export)
    result = cli("returns", "import", *files, "--plan", SHIPPED_PLAN, "--as-of", AS_OF)
    assert result.code == 2
    assert f"r2.xlsx: the workbooks up to this one inflate to {one * 3:,} bytes (at most {one * 2:,}" in result.stderr
    assert "r0.xlsx" not in result.stderr


def test_each_unreadable_workbook_is_reported_on_its_own_line(cli: RunCli, tmp_path: Path) -> None:
    files = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in files:
        path.write_text("not a zip", encoding="utf-8")
    result = cli("returns", "import", *files, "--plan", SHIPPED_PLAN, "--as-of", AS_OF)
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": ")[0] for line in lines[:2]] == [str(files[0]), str(files[1])]
    assert all("not an .xlsx workbook" in line for line in lines[:2])
    assert lines[2] == "cheplan: error: 2 problems in the returns; nothing recorded"


def test_each_workbook_is_reviewed_before_the_next_is_read(
    cli: RunCli, tmp_path: Path, real_export: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import holds one workbook's cells at a time, however many files it is given."""
    from cheplan.questions import returns
    from cheplan.questions.returns import review_workbook

    calls: list[str] = []

    def read(*args: Any) -> Any:
        calls.append("read")
        return read_workbook(*args)

    def review(*args: Any, **kwargs: Any) -> Any:
        calls.append("review")
        return review_workbook(*args, **kwargs)

    monkeypatch.setattr(workbook, "read_workbook", read)
    monkeypatch.setattr(returns, "review_workbook", review)
    files = [tmp_path / f"r{number}.xlsx" for number in range(3)]
    for path in files:
        path.write_bytes(real_export)
    assert cli("returns", "import", *files, "--plan", SHIPPED_PLAN, "--as-of", AS_OF).code == 0
    assert calls == ["read", "review"] * 3
