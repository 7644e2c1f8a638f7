"""A plan (or a register stub) as a YAML file people will edit: keys in the schema's order,
long text folded, months and dates quoted, and a header saying where it came from."""

from __future__ import annotations

from typing import Any


def plan_text(data: dict[str, Any], comment: str) -> str:
    """`data` as YAML, after `comment` (each line made a YAML comment)."""
    import yaml

    # libyaml's emitter when PyYAML has it: five times faster on a plan of thousands of actions.
    base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc]
        pass

    def strings(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        if "\n" in value:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        if len(value) > 7 and value[:4].isdigit() and value[4:5] == "-":
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
        if len(value) == 7 and value[:4].isdigit() and value[4:5] == "-":  # a month: quoted, as the guide asks
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    Dumper.add_representer(str, strings)
    body = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    lines = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    return lines + body
