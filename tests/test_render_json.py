"""The JSON report keeps untrusted text as data: escaped, never raw control characters."""

from __future__ import annotations

import json
import re

from plandiff.render import json as json_render
from plandiff.result import DiffResult
from tests.sample_results import HOSTILE, every_kind, hostile

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


def reference(result: DiffResult) -> str:
    """What the renderer must write: json.dumps of the contract's dict, unsafe ones escaped."""
    return json_render.dumps(json_render.document(result)) + "\n"


def test_orjson_writes_what_json_dumps_writes() -> None:
    for result in (hostile(), every_kind()):
        assert json_render.render(result) == reference(result)


def test_parts_orjson_cannot_write_fall_back_to_json_dumps() -> None:
    # NaN (orjson would write null) and a lone surrogate (orjson refuses it): the parts holding
    # them are written by json.dumps, the same text as the reference.
    result = every_kind()
    changes = list(result.changes)
    changes[0] = changes[0].model_copy(update={"similarity": float("nan")})
    changes[-1] = changes[-1].model_copy(update={"note": "lone \ud800 surrogate"})
    odd = result.model_copy(update={"changes": tuple(changes)})
    text = json_render.render(odd)
    assert text == reference(odd)
    assert '"similarity": NaN' in text and "\\ud800" not in text  # written raw, as dumps does


def test_every_control_and_unsafe_character_is_escaped_like_json_dumps() -> None:
    result = every_kind()
    specials = "".join(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)])) + "\u2028\u202e\u2066"
    change = result.changes[0].model_copy(update={"note": specials + '"\\/'})
    odd = result.model_copy(update={"changes": (change, *result.changes[1:])})
    assert json_render.render(odd) == reference(odd)


def test_every_similarity_with_four_decimals_is_written_alike() -> None:
    import orjson

    values = [round(i / 10_000, 4) for i in range(10_001)]
    assert orjson.dumps(values, option=orjson.OPT_INDENT_2).decode() == json.dumps(values, indent=2)
