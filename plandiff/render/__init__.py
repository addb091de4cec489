"""Renderers: functions from results to text or rich renderables. They return; the CLI prints."""

# The set is defined, with the others and why they differ, in plandiff.text; this name is what
# the JSON renderer imports today.
from plandiff.text import TERMINAL_UNSAFE as UNSAFE_IN_TERMINAL

__all__ = ["UNSAFE_IN_TERMINAL"]
