"""The JSON report keeps untrusted text as data: escaped, never raw control characters."""

from __future__ import annotations

import json
import re

from plandiff.render import json as json_render
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
