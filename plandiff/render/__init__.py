"""Renderers: functions from results to text or rich renderables. They return; the CLI prints."""

import re

#: Characters that may appear raw in JSON and XML text but that a terminal may act on: DEL and
#: the C1 controls (U+009B is CSI, U+009D OSC), bidi marks, overrides and isolates, and the line
#: and paragraph separators. They only ever occur inside strings and text, where each format has
#: an escape meaning the same (``\uXXXX`` in JSON, a character reference in XML), so that output
#: printed to a terminal cannot drive it.
UNSAFE_IN_TERMINAL = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
