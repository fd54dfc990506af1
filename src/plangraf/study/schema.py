"""Check parsed YAML against the shipped JSON Schemas, naming the line and field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import fastjsonschema

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import Path_, dotted, line_of


@cache
def schema(name: str) -> dict[str, Any]:
    """Load a shipped schema by name (``municipality`` or ``study``)."""
    text = resources.files("plangraf.study.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def _explain(error: ValidationError) -> tuple[Path_, str]:
    here: Path_ = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(error.instance if isinstance(error.instance, Mapping) else {}) - set(allowed))
        return here + (extra[0],), f"unknown key '{extra[0]}'; allowed: {', '.join(allowed)}"
    if error.validator == "required":
        return here, f"{error.message}"
    if error.validator == "enum":
        choices = ", ".join(str(v) for v in cast(list[Any], error.validator_value))
        return here, f"{error.instance!r} is not allowed; allowed: {choices}"
    if error.validator == "pattern":
        return here, f"{error.instance!r} does not match the expected form {error.validator_value}"
    if error.validator == "oneOf" and '"integer"' in json.dumps(error.schema):
        return here, f"{error.instance!r} is not a date (YYYY-MM-DD) or a year (YYYY)"
    if error.validator == "type":
        return here, f"{error.instance!r} is not of type {error.validator_value}"
    return here, error.message


@cache
def _compiled(name: str) -> Any:
    """A shipped schema compiled to Python by fastjsonschema (draft 7, which has every keyword
    the shipped schemas use; tests/test_schema_engines.py checks it agrees with jsonschema)."""
    shipped = {k: v for k, v in schema(name).items() if k not in ("$schema", "$id")}
    return fastjsonschema.compile(shipped)


def conforms(data: Any, schema_name: str) -> bool:
    """Whether ``data`` conforms to a shipped schema, by the compiled validator (fast)."""
    try:
        _compiled(schema_name)(data)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def check(
    data: Any, lines: dict[Path_, int], schema_name: str | dict[str, Any], file: Path, *, compiled: bool = True
) -> None:
    """Raise :class:`PlangrafError` for the first schema error in file order.

    ``schema_name`` names a shipped schema (``municipality``, ``study``) or is a schema itself.
    A shipped schema is first checked by the compiled validator, about 8 times faster; data it
    rejects, and every check with ``compiled=False`` (the reference path), goes to jsonschema,
    whose errors name the line and field.
    """
    if compiled and isinstance(schema_name, str) and conforms(data, schema_name):
        return
    from jsonschema import Draft202012Validator  # its errors explain; imported only when needed

    validator = Draft202012Validator(schema(schema_name) if isinstance(schema_name, str) else schema_name)
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    explained = [_explain(e) for e in errors]
    explained.sort(key=lambda pair: line_of(lines, pair[0]) or 0)
    here, message = explained[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    raise PlangrafError(message + more, file=str(file), line=line_of(lines, here), field=dotted(here) or None)
