"""What a new user of the command line hit first (issue 13, points 6, 7, 10 and 11's
``diff``): type names, which type each payload was checked as, where a JSON error is,
and one verdict per schema change.

Each test failed before its fix.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from rtschema import cli


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write_json(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), "utf-8")
    return str(path)


# ------------------------------------------------------------------ 11. diff: one verdict per change


PETS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "Pet": {
            "type": "object",
            "properties": {"kind": {"enum": ["cat", "dog"]}, "name": {"type": "string"}},
            "required": ["kind"],
            "additionalProperties": False,
        },
        "Owner": {
            "type": "object",
            "properties": {"pets": {"type": "array"}, "since": {"type": "string"}},
        },
        "Shared": {"type": "string", "maxLength": 5},
        "Request": {
            "type": "object",
            "properties": {"s": {"$ref": "#/$defs/Shared"}},
            "additionalProperties": False,
        },
        "Response": {"type": "object", "properties": {"s": {"$ref": "#/$defs/Shared"}}},
    },
}


def _diff(tmp_path: Path, change: Any, *extra: str) -> tuple[int, str, str]:
    new = copy.deepcopy(PETS)
    change(new["$defs"])
    old_path = write_json(tmp_path / "old.json", PETS)
    new_path = write_json(tmp_path / "new.json", new)
    code = cli.main(["diff", old_path, new_path, *extra])
    return code, old_path, new_path


def test_11_a_change_that_breaks_no_side_the_type_serves_is_only_compatible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = _diff(tmp_path, lambda d: d["Pet"]["properties"]["kind"]["enum"].append("fish"))
    out = capsys.readouterr().out
    assert code == 0
    (line,) = [x for x in out.splitlines() if "Pet.kind" in x]
    assert line == 'compatible             Pet.kind: value "fish" added [request]'
    assert out.splitlines()[1:] == [line, "0 breaking, 1 compatible"]


def test_11_a_breaking_change_names_the_side_it_breaks_in_its_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = _diff(tmp_path, lambda d: d["Owner"]["properties"].pop("since"))
    out = capsys.readouterr().out
    assert code == 1
    assert "BREAKING for readers   Owner.since: field removed [response]" in out.splitlines()
    code, _, _ = _diff(tmp_path, lambda d: d["Pet"]["required"].append("name"))
    out = capsys.readouterr().out
    assert code == 1
    assert "BREAKING for senders   Pet.name: now required [request]" in out.splitlines()
    code, _, _ = _diff(tmp_path, lambda d: d["Shared"].__setitem__("type", "integer"))
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "BREAKING for senders and readers Shared: type changed: string -> integer [both]"
        in out.splitlines()
    )
    assert out.rstrip().endswith("1 breaking, 0 compatible")


def test_11_diff_json_lists_the_sides_a_change_breaks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(defs: dict[str, Any]) -> None:
        defs["Pet"]["properties"]["kind"]["enum"].append("fish")
        defs["Owner"]["properties"].pop("since")

    code, _, _ = _diff(tmp_path, change, "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    by_where = {(c["type"], c["path"]): c for c in report["changes"]}
    assert by_where["Pet", "kind"]["breaks"] == [] and not by_where["Pet", "kind"]["breaking"]
    assert by_where["Owner", "since"]["breaks"] == ["readers"]


def test_11_changelog_bullets_have_one_verdict_too() -> None:
    from rtschema.evolution import diff

    changes = [
        diff.Change("Pet", "kind", 'value "fish" added', False, True, "request"),
        diff.Change("Owner", "since", "field removed", False, True, "response"),
        diff.Change("Shared", "", "type removed", True, True, "request"),
    ]
    assert diff.render_markdown(changes).splitlines() == [
        "- **Breaking** for readers: `Owner.since`: field removed.",
        "- **Breaking** for senders: `Shared`: type removed.",
        '- Compatible: `Pet.kind`: value "fish" added.',
    ]
