"""The JSON report keeps untrusted text as data: escaped, never raw control characters; it is
written by msgspec from the contract's Structs, in the layout reports have always had."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from plandiff.render import UNSAFE_IN_TERMINAL
from plandiff.render import json as json_render
from plandiff.result import DiffResult
from tests.sample_results import HOSTILE, every_kind, hostile, seed_like

#: Raw characters a terminal would act on; JSON must carry them as \\uXXXX escapes.
RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def test_hostile_text_is_escaped_and_round_trips() -> None:
    text = json_render.render(hostile())
    assert not RAW.search(text)
    doc = json.loads(text)
    assert doc["old"]["title"] == "Draft ceasefire" + HOSTILE
    assert doc["changes"][1]["redline"][-1] == ["equal", "." + HOSTILE]
    assert doc["warnings"] == ["plan-v2.txt: numbering gap after 8" + HOSTILE]


def test_every_change_is_in_the_document() -> None:
    doc = json.loads(json_render.render(every_kind()))
    assert [c["kind"] for c in doc["changes"]] == [c.kind.value for c in every_kind().changes]
    assert doc["summary"]["moved"] == 1


def historic_layout(result: DiffResult) -> str:
    """The text reports were written as before msgspec: json.dumps(indent=2) of the document's
    data, non-ASCII kept, unsafe characters escaped as \\uXXXX."""
    data = msgspec.to_builtins(json_render.document(result))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return UNSAFE_IN_TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def with_changes(result: DiffResult, n: int) -> DiffResult:
    """``result`` with its changes repeated to ``n`` (several parts of render_parts)."""
    many = (result.changes * (n // len(result.changes) + 1))[:n]
    return msgspec.structs.replace(result, changes=many)


@pytest.mark.parametrize("make", [every_kind, hostile, seed_like])
@pytest.mark.parametrize("n", [None, 0, 1, 256, 257, 600])
def test_written_as_json_dumps_laid_it_out(make, n: int | None) -> None:
    result = make() if n is None else with_changes(make(), n)
    assert json_render.render(result) == historic_layout(result)


def test_parts_join_to_the_whole_document() -> None:
    result = with_changes(every_kind(), 700)
    parts = list(json_render.render_parts(result))
    # head, three parts of changes each followed by the comma or bracket after it, tail
    assert len(parts) == 1 + 3 * 2 + 1
    assert b"".join(parts).decode() == json_render.dumps(json_render.document(result)) + "\n"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_similarity_is_written_as_null(value: float) -> None:
    result = every_kind()
    odd = msgspec.structs.replace(result.changes[0], similarity=value)
    text = json_render.render(msgspec.structs.replace(result, changes=(odd,)))
    assert json.loads(text)["changes"][0]["similarity"] is None
    assert "NaN" not in text and "Infinity" not in text


@given(
    st.one_of(
        st.none(),
        st.floats(),
        st.sampled_from([1.0, 0.99995, 0.99994, 1.00004, 1.00005, -0.0, 0.00005, 1e-9]),
    )
)
def test_a_similarity_is_written_to_four_decimals_whatever_it_is(value: float | None) -> None:
    """An unchanged pair's 1.0 is written as it stands and every other similarity rounded:
    each is written as four decimals of itself would be, and null when it is not a number."""
    change = msgspec.structs.replace(every_kind().changes[0], similarity=value)
    written = msgspec.json.encode(json_render.change_docs([change])[0].similarity)
    finite = value is not None and value == value and abs(value) != float("inf")
    assert written == msgspec.json.encode(round(value, 4) if finite else None)


def test_a_lone_surrogate_is_refused_not_written() -> None:
    result = every_kind()
    odd = msgspec.structs.replace(result.changes[-1], note="lone \ud800 surrogate")
    with pytest.raises(UnicodeEncodeError):
        json_render.render(msgspec.structs.replace(result, changes=(odd,)))


def test_every_control_and_unsafe_character_is_escaped_like_json_dumps() -> None:
    result = every_kind()
    specials = "".join(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)])) + "\u2028\u202e\u2066"
    change = msgspec.structs.replace(result.changes[0], note=specials + '"\\/')
    odd = msgspec.structs.replace(result, changes=(change, *result.changes[1:]))
    text = json_render.render(odd)
    assert text == historic_layout(odd)
    assert json.loads(text)["changes"][0]["note"] == specials + '"\\/'


@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=40))
def test_any_text_is_written_as_json_dumps_writes_it(note: str) -> None:
    result = every_kind()
    change = msgspec.structs.replace(result.changes[0], note=note)
    odd = msgspec.structs.replace(result, changes=(change,))
    assert json_render.render(odd) == historic_layout(odd)


def test_every_similarity_with_four_decimals_is_written_alike() -> None:
    values = [round(i / 10_000, 4) for i in range(10_001)]
    assert json_render.dumps(values) == json.dumps(values, indent=2)


def test_the_result_and_its_json_need_no_pydantic() -> None:
    code = (
        "import sys, plandiff.result, plandiff.render.json\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
