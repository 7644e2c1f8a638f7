"""The report's compiled templates are kept between runs, and trusted only as the validation cache is.

Loading a compiled template runs it, so a planted, damaged or foreign entry, or one in a
directory others can write, must mean compiling again: never running what it holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pytest

from cheplan.domain.filesystem.private import KEY_NAME
from cheplan.loading.load import load_plan
from cheplan.outputs import template_cache
from cheplan.outputs.board_report import render_report
from cheplan.questions.board import Board, Window, build_board
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER


@pytest.fixture(scope="module")
def board() -> Board:
    loaded = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER])
    window = Window(as_of=date(2020, 10, 1), since=date(2020, 7, 1), until=date(2021, 1, 1), stale_days=90)
    return build_board(loaded.plan, loaded.registers, window)


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """How many times Jinja2 has compiled a template from its source so far."""
    calls = [0]
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return lambda: calls[0]


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob(template_cache.PREFIX + "*"))


@pytest.mark.parametrize("format_name", ["html", "markdown"])
def test_a_second_run_uses_the_compiled_template(
    format_name: str, board: Board, cache_dir: Path, compiles: Callable[[], int]
) -> None:
    first = render_report(board, format_name)
    assert compiles() == 1
    [entry] = entries(cache_dir)
    assert entry.stat().st_mode & 0o777 == 0o600
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert render_report(board, format_name) == first
    assert compiles() == 1


def test_html_and_markdown_are_kept_apart(board: Board, cache_dir: Path, compiles: Callable[[], int]) -> None:
    html, markdown = render_report(board, "html"), render_report(board, "markdown")
    assert len(entries(cache_dir)) == 2
    assert (render_report(board, "html"), render_report(board, "markdown")) == (html, markdown)
    assert compiles() == 2


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_directory_others_can_write_is_refused(
    mode: int, board: Board, cache_dir: Path, compiles: Callable[[], int]
) -> None:
    expected = render_report(board, "markdown")
    [entry] = entries(cache_dir)
    cache_dir.chmod(mode)
    assert render_report(board, "markdown") == expected
    assert compiles() == 2  # the entry there was not read
    entry.unlink()
    assert render_report(board, "markdown") == expected
    assert entries(cache_dir) == []  # and nothing is written there either


def test_a_new_cache_directory_is_private(board: Board, cache_dir: Path) -> None:
    render_report(board, "markdown")
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert (cache_dir / KEY_NAME).stat().st_mode & 0o777 == 0o600


def _rewrite(entry: Path, change: Callable[[bytes, bytes], bytes]) -> None:
    tag, _, payload = entry.read_bytes().partition(b"\n")
    entry.write_bytes(change(tag, payload))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda tag, payload: tag + b"\n" + payload[:-1] + bytes([payload[-1] ^ 1]), id="damaged"),
        pytest.param(lambda tag, payload: b"0" * len(tag) + b"\n" + payload, id="forged-tag"),
        pytest.param(lambda tag, payload: payload, id="no-tag"),
        pytest.param(lambda tag, payload: b"", id="empty"),
    ],
)
def test_an_entry_that_does_not_verify_is_compiled_again(
    change: Callable[[bytes, bytes], bytes], board: Board, cache_dir: Path, compiles: Callable[[], int]
) -> None:
    expected = render_report(board, "markdown")
    [entry] = entries(cache_dir)
    _rewrite(entry, change)
    assert render_report(board, "markdown") == expected
    assert compiles() == 2
    assert render_report(board, "markdown") == expected
    assert compiles() == 2  # compiled again, it was stored again, verified


def test_an_entry_made_with_another_key_is_not_trusted(
    board: Board, cache_dir: Path, compiles: Callable[[], int]
) -> None:
    expected = render_report(board, "markdown")
    (cache_dir / KEY_NAME).write_bytes(bytes(32))  # as if the entry came from another user's cache
    assert render_report(board, "markdown") == expected
    assert compiles() == 2


def test_a_linked_entry_is_not_followed(
    board: Board, cache_dir: Path, tmp_path: Path, compiles: Callable[[], int]
) -> None:
    expected = render_report(board, "markdown")
    [entry] = entries(cache_dir)
    elsewhere = tmp_path / "elsewhere"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert render_report(board, "markdown") == expected
    assert compiles() == 2


def test_without_a_cache_nothing_is_written(
    board: Board, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Callable[[], int]
) -> None:
    monkeypatch.setenv("CHEPLAN_CACHE_DIR", str(tmp_path / "cache"))  # CHEPLAN_NO_CACHE=1 wins
    for _ in range(2):
        render_report(board, "markdown")
    assert compiles() == 2  # compiled on each run: nothing was kept
    assert not (tmp_path / "cache").exists()


def _environment(**options: Any) -> jinja2.Environment:
    templates = {"page": "{{ x }}|{% if x %}set{% endif %}\n"}
    return jinja2.Environment(
        loader=jinja2.DictLoader(templates), bytecode_cache=template_cache.bytecode_cache(), **options
    )


def test_code_compiled_under_other_options_is_never_used(cache_dir: Path) -> None:
    """Compiled code bakes in the options: unescaped code must never serve an escaping environment."""
    assert _environment(autoescape=False).get_template("page").render(x="<b>") == "<b>|set"
    assert _environment(autoescape=True).get_template("page").render(x="<b>") == "&lt;b&gt;|set"
    assert _environment(keep_trailing_newline=True).get_template("page").render(x="<b>") == "<b>|set\n"
    assert _environment(finalize=lambda value: "*").get_template("page").render(x="<b>") == "*|set"
    assert len(entries(cache_dir)) == 4
    # and each is used again by an environment like the one that made it
    assert _environment(autoescape=True).get_template("page").render(x="<i>") == "&lt;i&gt;|set"
    assert len(entries(cache_dir)) == 4


def test_old_entries_are_pruned(cache_dir: Path) -> None:
    for number in range(template_cache.MAX_ENTRIES + 3):
        _environment(line_comment_prefix=f"##{number}").get_template("page").render(x="")
    assert len(entries(cache_dir)) == template_cache.MAX_ENTRIES


def test_pruning_keeps_the_entries_used_last(cache_dir: Path) -> None:
    def use(name: str) -> None:
        _environment(line_comment_prefix=f"##{name}").get_template("page").render(x="")

    written: list[Path] = []
    for number in range(template_cache.MAX_ENTRIES):  # a full cache, the first written first
        use(str(number))
        [new] = set(entries(cache_dir)) - set(written)
        os.utime(new, (number + 1, number + 1))
        written.append(new)
    use("0")  # the oldest written is used again...
    use("new")  # ...so the next entry pushes out the one written second, not it
    assert written[0] in entries(cache_dir)
    assert written[1] not in entries(cache_dir)
    assert len(entries(cache_dir)) == template_cache.MAX_ENTRIES
