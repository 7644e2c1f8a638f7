"""A plan text that passed validation before, as the validation cache keeps it, without validating it
again: what a command that writes the plan many times (`returns send`) starts each write from."""

from __future__ import annotations

from cheplan.loading import cache as validation_cache
from cheplan.loading.load import TOP_KEYS, Source, Validation, collector_paused, load_trusted


def remembered_validation(plan_source: Source, register_sources: list[Source]) -> Validation | None:
    """Texts that passed before (validated or written by cheplan), as the cache has them: no warnings."""
    key = validation_cache.content_key([plan_source.text, *(s.text for s in register_sources)])
    with collector_paused():
        documents = validation_cache.load_valid(key)
        trusted = None if documents is None else load_trusted(plan_source.name, documents, len(register_sources))
    if trusted is None or documents is None:
        return None
    return Validation(trusted.plan, trusted.registers, [], documents, top_keys=TOP_KEYS.get(key, []))
