"""The plan's action blocks as one set of edits: found by one scan, put together once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cheplan.domain.errors import WriteRefusedError
from cheplan.editing.blocks import ActionBlock, index_actions, reread


class BlockEdits:
    """The plan's action blocks, found by one scan of the text; edits are kept per block and the
    text is put together once at the end, so N entries cost one scan and one join, not N."""

    def __init__(self, text: str, name: str, entries: int, parsed: Callable[[], object] | None = None) -> None:
        """`parsed`: the text's data if it is known already (the validation cache), else None."""
        self._text, self._name = text, name
        self._index = index_actions(text)
        self._edited: dict[int, tuple[ActionBlock, str, dict[str, Any]]] = {}  # id -> (block, its text, data)
        self._actions: object = None
        if self._index is not None and entries * 4 >= len(self._index.item_starts):
            # Entries for many actions: one parse of the file beats parsing each block alone,
            # and the data a command just validated (and cached) beats parsing it again.
            from cheplan.loading.safe_yaml import parse_yaml

            data = None if parsed is None else parsed()
            if data is None:
                document = parse_yaml(text, name)
                data = None if document.problems else document.data
            if isinstance(data, dict):
                self._actions = data.get("actions")

    def of(self, action_id: int) -> ActionBlock | None:
        if action_id in self._edited:  # a second entry for it: the block as edited (only then)
            block, new_text, data = self._edited[action_id]
            again = reread(block, new_text, action_id, self._name, data)
            if again is None:
                raise WriteRefusedError(f"{self._name} not changed: action {action_id} would not read back", [])
            return again
        if self._index is None:
            return None
        return self._index.block(self._text, action_id, self._name, self._actions)

    def edited(self, block: ActionBlock, new_text: str, data: dict[str, Any]) -> None:
        self._edited[int(block.data.get("id", 0))] = (block, new_text, data)

    def text(self) -> str:
        parts, at = [], 0
        for block, new_text, _ in sorted(self._edited.values(), key=lambda edit: edit[0].start):
            parts += [self._text[at : block.start], new_text]
            at = block.end
        parts.append(self._text[at:])
        return "".join(parts)


def cached_data(texts: list[str]) -> Callable[[], object]:
    """How to find the plan's data (the plan's and its registers' `texts`) in the validation cache,
    asked only when it is worth it: a command that loaded the plan a moment ago (and validated it,
    on a first run) left it there."""
    from cheplan.loading import cache as validation_cache

    def cached() -> object:
        documents = validation_cache.load_valid(validation_cache.content_key(texts))
        return documents[0] if documents else None

    return cached
