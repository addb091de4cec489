"""Registry files read strictly: a parsed TOML file validated as its model, every problem
named by file and field.

TOML has types of its own (dates, integers) that pydantic's lax mode would convert silently; a
hand-edited file with ``number = "3"`` or a quoted date is an error here, not a guess.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from plandiff.errors import Problem
from plandiff.models import PlanVersion, Source
from plandiff.text import show

_M = TypeVar("_M", bound=BaseModel)


def field_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as the path a reader finds in the file (``points[2].text``)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_problems(file: str, exc: ValidationError) -> list[Problem]:
    """Each of pydantic's errors as one problem naming the file and field."""
    problems = []
    for err in exc.errors(include_url=False):
        kind = err["type"]
        if kind == "extra_forbidden":
            message = "unknown field"
        elif kind == "missing":
            message = "required field is missing"
        else:
            message = err["msg"]
            if "input" in err and not isinstance(err["input"], dict | list):
                message += f" (got {show(err['input'], 40)})"
        problems.append(Problem(file, field_path(err["loc"]), message))
    return problems


def validate(model: type[_M], data: dict[str, Any]) -> _M:
    """``model`` from a parsed TOML file, with strict types: a string where a number belongs
    (``number = "3"``), or the reverse, is an error, never converted.

    Pydantic's strict mode is applied to the data as JSON, where it accepts what TOML has no
    type of its own for (enum names as strings, arrays as tuples) and nothing else. A TOML
    date is written as an ISO date, which is what a date field accepts in JSON.
    """
    import json

    dates = 0

    def plain(value: object) -> object:
        nonlocal dates
        if isinstance(value, dt.date | dt.time):  # datetime is a date
            dates += 1
            return value.isoformat()
        raise TypeError(type(value).__name__)

    try:
        text = json.dumps(data, default=plain, allow_nan=True)
    except RecursionError as exc:
        raise ValueError("values nested too deeply") from exc
    try:
        item = model.model_validate_json(text, strict=True)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):  # the parser's depth limit
            raise ValueError("values nested too deeply") from exc
        raise
    if dates == _date_fields(item):
        return item
    for loc, value in _quoted_dates(data):  # JSON made no difference: the file did
        raise _TextAsDate(loc, value)
    for loc, value in _dates(data):  # a TOML date is not text: where did each one land?
        landed: Any = item
        for part in loc:
            landed = landed[part] if isinstance(part, int) else getattr(landed, part, None)
        if not isinstance(landed, dt.date | dt.time):
            raise DateAsText(loc, value)
    return item


def _date_fields(item: BaseModel) -> int:
    """How many date fields ``item`` has set: each took one TOML date (strict JSON accepts
    nothing else for a date), so more dates in the file means one landed in a text field."""
    if isinstance(item, Source):
        return int(item.published is not None)
    if isinstance(item, PlanVersion):
        return int(item.date is not None) + len(item.events)
    return 0


class DateAsText(ValueError):
    """A TOML date or time where text belongs (JSON would have made it a string)."""

    def __init__(self, loc: tuple[int | str, ...], value: object) -> None:
        super().__init__(f"a date where text belongs (got {value}); quote it to make it text")
        self.loc = loc


class _TextAsDate(DateAsText):
    """Text where a TOML date belongs (``date = "2025-11-24"``): strict types refuse it."""

    def __init__(self, loc: tuple[int | str, ...], value: object) -> None:
        ValueError.__init__(
            self, f"text where a date belongs (got {show(value)}); write the date unquoted"
        )
        self.loc = loc


def _quoted_dates(data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], object]]:
    """The date fields of a source or version file that hold text instead of a TOML date."""
    found: list[tuple[tuple[int | str, ...], object]] = [
        ((field,), data[field])
        for field in ("date", "published")
        if isinstance(data.get(field), str)
    ]
    events = data.get("events")
    for n, event in enumerate(events if isinstance(events, list) else []):
        if isinstance(event, dict) and isinstance(event.get("date"), str):
            found.append((("events", n, "date"), event["date"]))
    return found


def _dates(data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], object]]:
    """Every TOML date or time in ``data`` with its place (a loop, not recursion: it runs over
    every value of every file loaded)."""
    found: list[tuple[tuple[int | str, ...], object]] = []
    stack: list[tuple[tuple[int | str, ...], object]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*loc, k), v) for k, v in value.items() if not isinstance(v, str))
        elif isinstance(value, list):
            stack.extend(((*loc, n), v) for n, v in enumerate(value) if not isinstance(v, str))
        elif isinstance(value, dt.date | dt.time):
            found.append((loc, value))
    return found
