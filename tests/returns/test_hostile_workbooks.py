"""Hostile workbooks: refused with a clear message before openpyxl inflates or parses them."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cheplan.domain.errors import UnreadableInputError
from cheplan.loading.workbook import read_workbook
from tests.conftest import SHIPPED_PLAN, RunCli
from tests.returns.workbooks import AS_OF

WANTED = ("Return", "cheplan")


@pytest.fixture(scope="module")
def real_export(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from cheplan.cli.app import main

    out = tmp_path_factory.mktemp("export")
    args = ["returns", "export", "--out", str(out), "--plan", str(SHIPPED_PLAN), "--as-of", AS_OF, "--lead", "NPS"]
    assert main(args) == 0
    return (out / "returns-nps.xlsx").read_bytes()


def rezip(original: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The workbook with parts replaced, added, or (None) removed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in changes:
                target.writestr(info.filename, source.read(info))
        for name, data in changes.items():
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def refusal(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    with pytest.raises(UnreadableInputError) as caught:
        read_workbook(path, "hostile.xlsx", WANTED)
    return str(caught.value)


def test_a_real_export_reads(tmp_path: Path, real_export: bytes) -> None:
    path = tmp_path / "ok.xlsx"
    path.write_bytes(real_export)
    book = read_workbook(path, "ok.xlsx", WANTED)
    assert set(book.sheets) == {"Return", "cheplan"}
    assert book.sheets["cheplan"].state == "veryHidden"


def test_a_decompression_bomb_is_refused_before_inflating(tmp_path: Path, real_export: bytes) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet9.xml", b"\0" * (200 * 1024 * 1024))
    data = rezip(real_export, {"xl/worksheets/sheet9.xml": None})
    with zipfile.ZipFile(io.BytesIO(bomb.getvalue())) as source:
        data = rezip(data, {"xl/worksheets/sheet9.xml": source.read("xl/worksheets/sheet9.xml")})
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    message = refusal(tmp_path, data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "possible decompression bomb" in message
    assert peak < 16 * 1024 * 1024


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s declared uncompressed size replaced (local header and central directory)."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    patched[local + 22 : local + 26] = size.to_bytes(4, "little")
    position = patched.find(b"PK\x01\x02")
    while position != -1:
        length = int.from_bytes(patched[position + 28 : position + 30], "little")
        if patched[position + 46 : position + 46 + length] == name.encode():
            patched[position + 24 : position + 28] = size.to_bytes(4, "little")
        position = patched.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


def test_a_zip_that_lies_about_its_sizes_never_inflates_past_them(tmp_path: Path, real_export: bytes) -> None:
    name = "xl/worksheets/sheet9.xml"
    data = declare_size(rezip(real_export, {name: b"<a>" + b" " * (64 * 1024 * 1024) + b"</a>"}), name, 1000)
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    message = refusal(tmp_path, data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "inflates past its declared size" in message
    assert peak < 16 * 1024 * 1024


def test_too_many_parts_is_refused(tmp_path: Path, real_export: bytes) -> None:
    data = rezip(real_export, {f"junk/{n}.txt": b"" for n in range(2_100)})
    assert "possible zip bomb" in refusal(tmp_path, data)


def test_macros_are_refused(tmp_path: Path, real_export: bytes) -> None:
    assert "macros" in refusal(tmp_path, rezip(real_export, {"xl/vbaProject.bin": b"\0" * 100}))
    with zipfile.ZipFile(io.BytesIO(real_export)) as archive:
        types = archive.read("[Content_Types].xml")
    xlsm = types.replace(b"spreadsheetml.sheet.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert "macro-enabled" in refusal(tmp_path, rezip(real_export, {"[Content_Types].xml": xlsm}))


def test_files_that_are_not_workbooks_are_refused(tmp_path: Path, real_export: bytes) -> None:
    assert "not an .xlsx workbook" in refusal(tmp_path, b"plain text, not a zip")
    assert "old-format (.xls)" in refusal(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument" in refusal(tmp_path, ods.getvalue())
    assert "no workbook part" in refusal(tmp_path, rezip(real_export, {"[Content_Types].xml": b"<Types></Types>"}))


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>"""


def test_xml_entities_are_refused(tmp_path: Path, real_export: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(real_export)) as archive:
        name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/"))
    message = refusal(tmp_path, rezip(real_export, {name: ENTITY_BOMB}))
    assert "declares a DOCTYPE or XML entities" in message
    assert "XML entity attack" in message
    utf16 = ENTITY_BOMB.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    assert "XML entity attack" in refusal(tmp_path, rezip(real_export, {name: utf16}))


def test_openpyxl_parses_with_defusedxml() -> None:
    # The second line of defence, should a DOCTYPE ever get past the scan. DEFUSEDXML is True
    # whenever defusedxml is installed; what matters is that openpyxl parses through it and not
    # through lxml (which python-docx installs): cheplan's import keeps it off lxml.
    import openpyxl
    import openpyxl.xml.functions

    assert openpyxl.LXML is False
    assert openpyxl.xml.functions.fromstring.__module__.startswith("defusedxml")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_workbooks_never_crash_the_import(
    data: st.DataObject, real_export: bytes, cli: RunCli, tmp_path: Path
) -> None:
    raw = bytearray(real_export)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    path = tmp_path / "mutated.xlsx"
    path.write_bytes(bytes(raw))
    result = cli("returns", "import", path, "--plan", SHIPPED_PLAN, "--as-of", AS_OF)
    assert result.code in (0, 1, 2), result.stderr  # 0 when the damage hit nothing read
    assert "internal error" not in result.stderr
    assert result.code != 2 or "mutated.xlsx: " in result.stderr


def test_defusedxml_refuses_entities_even_past_the_scan(
    tmp_path: Path, real_export: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.loading import workbook

    monkeypatch.setattr(workbook, "check_parts", lambda *parts: None)
    message = refusal(tmp_path, rezip(real_export, {"xl/workbook.xml": ENTITY_BOMB}))
    assert message == "hostile.xlsx: the workbook's XML declares entities; refused as a possible XML entity attack"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_xml_inside_a_valid_zip_never_crashes_the_import(
    data: st.DataObject, real_export: bytes, cli: RunCli, tmp_path: Path
) -> None:
    # Past the zip layer: damaged XML, sheets and the hidden sheet reach openpyxl and the review.
    with zipfile.ZipFile(io.BytesIO(real_export)) as archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".xml"))
        name = data.draw(st.sampled_from(names))
        part = bytearray(archive.read(name))
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(part) - 1))
        part[position : position + 1] = data.draw(st.binary(min_size=0, max_size=3))
    path = tmp_path / "mutated.xlsx"
    path.write_bytes(rezip(real_export, {name: bytes(part)}))
    result = cli("returns", "import", path, "--plan", SHIPPED_PLAN, "--as-of", AS_OF, "--format", "json")
    assert result.code in (0, 1, 2), result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_a_pipe_a_device_or_a_directory_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    import os

    path = tmp_path / "return.xlsx"
    if kind == "fifo":
        os.mkfifo(path)  # opened for reading it would wait for a writer for ever
    elif kind == "directory":
        path.mkdir()
    else:
        path = Path("/dev/zero")  # read whole it is a MemoryError
    with pytest.raises(UnreadableInputError, match="not a file"):
        read_workbook(path, "return.xlsx", WANTED)
