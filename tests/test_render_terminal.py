"""The terminal report (render/terminal.py) and the plain report built on it (render/plain.py)."""

from __future__ import annotations

import io
import re

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from plandiff.render import plain, reflow, terminal, wording
from plandiff.result import ChangeKind, Redline, RedlineOp
from tests.sample_results import HOSTILE, every_kind, hostile, nested_kinds, seed_like

#: Control characters that must never reach the output raw (tab and newline are layout).
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The only escape sequences a coloured report may contain: rich's SGR colour codes.
SGR = re.compile(r"\x1b\[[0-9;]*m")


def text_of(result, *, width: int = 100, color: bool = False, **options) -> str:
    return terminal.export(terminal.render(result, **options), width=width, color=color)


def test_every_change_kind_is_rendered() -> None:
    text = text_of(every_kind(), show_unchanged=True, show_unreported=True)
    for kind in ChangeKind:
        assert f"  {kind.value}" in text, kind
    assert "3 → 7  unchanged, moved" in text
    assert "6 → 5 + 6  split, renumbered  (curated)" in text
    assert "4 + 5 → 4  merged, moved between headings  (automatic, 90% similar)" in text


def test_text_outside_the_points_is_shown_where_it_stands() -> None:
    text = text_of(every_kind())
    assert text.index("preamble  reworded") < text.index("2 → 2  reworded")
    assert "The parties have [-agreed as follows-]{+NOT agreed to anything+}:" in text
    # A heading added before new point 4 stands right above that point's change.
    heading = text.index("heading before 4  added")
    assert text.index("— → 3  added") < heading < text.index("4 + 5 → 4  merged")
    assert "    {+Part B. Monitoring+}\n" in text
    assert text.index("closing  removed") > text.index("10 → 11  replaced")
    assert "    [-Done at Geneva on 1 March 2025.-]\n" in text
    # What is known first, the unreported count last.
    assert "preamble reworded, 1 heading added, closing removed, 1 unreported\n" in text


def test_heading_move_and_subitems_are_named() -> None:
    text = text_of(every_kind())
    block = text[text.index("4 + 5 → 4  merged") :]
    assert block.split("\n")[1:4] == [
        "    from Part A to Part B. Monitoring",
        "    2 old points folded into one",
        "    changed in (b)",
    ]


def test_replaced_is_not_called_a_rewording() -> None:
    text = text_of(every_kind())
    block = text[text.index("10 → 11  replaced") :].split("\n")
    assert block[0].startswith(
        "10 → 11  replaced, renumbered  (automatic, same position, 3% similar)"
    )
    assert block[1:4] == [
        "    little wording in common: the old text gave way to the new one",
        "    old 10: [-Talks resume in Geneva.-]",
        "    new 11: {+A reconstruction fund is set up.+}",
    ]


def test_header_states_versions_counts_and_summary() -> None:
    text = text_of(seed_like())
    assert text.startswith("plandiff  us-28 → geneva-19\n")
    assert "old  us-28  US 28-point peace plan" in text
    assert (
        "2025-11-20 · issued by United States (President Donald Trump) · 4 of 28 declared" in text
    )
    assert (
        "\n28 → 19 points: 9 were cut, and reporting identifies none of them.\n"
        "Known: 4 of the 28 old points (described) and 1 of the 19 new points (described).\n"
    ) in text
    assert "Changes: 1 reworded, 3 unreported\n" in text


def test_described_points_are_marked_and_not_redlined() -> None:
    text = text_of(seed_like())
    assert "old territory (described): [-Territorial concessions.-]" in text
    assert "new territory (described): {+Territorial issues are not settled" in text


def test_unreported_explains_what_is_unknown() -> None:
    text = " ".join(text_of(seed_like(), show_unreported=True).split())
    assert text.count("geneva-19 is only partly known (18 of its 19 declared points are not") == 3
    folded = text_of(seed_like())
    line = "  ⋯ 3 old points unreported (armed-forces, us-guarantees, economy): geneva-19 is only"
    assert line in folded
    assert "(18 of its 19" not in folded


def test_redline_marks_and_substantive_changes() -> None:
    text = text_of(every_kind())
    assert "withdrawn [-15-]{+30+} km from the line of contact {+within 14 days+}." in text
    assert "≠ number: 15 → 30" in text
    assert "≠ duration: (none) → 14 days" in text


def test_merged_and_split_are_one_block_with_their_parts() -> None:
    text = text_of(every_kind())
    block = text[text.index("4 + 5 → 4") : text.index("6 → 5 + 6")]
    assert "2 old points folded into one" in block
    # Each part's text once, in the redline (no preview of it above).
    assert block.count("An observer mission monitors the line") == 1
    assert block.count("reports weekly.") == 1
    assert "old 4: An observer" not in block and "old 5: The mission" not in block
    split = text[text.index("6 → 5 + 6") : text.index("3 → 7")]
    assert split.count("Elections are held within") == 1
    assert split.count("International observers monitor the vote.") == 1
    assert "new 5: Elections" not in split and "new 6: International" not in split


def test_evidence_has_footnotes_and_a_source_list() -> None:
    text = text_of(seed_like())
    assert "old territory: “which provides for territorial concessions” [1] @1294–1336\n" in text
    assert "why: “the American delegation is … received during the meeting” [2] @1100–1202" in text
    sources = text[text.index("\nSources\n") :]
    assert "[1] Zelenskyy, Rubio, and Rutte joined a virtual meeting of the coalition" in sources
    assert "[2] (untitled) — date unknown  000_01fd698e422cb727" in sources


def test_long_quotes_are_elided_in_the_middle() -> None:
    assert wording.elide_middle("word " * 100, 40).count("…") == 1
    assert len(wording.elide_middle("word " * 100, 40)) <= 40
    assert wording.elide_middle("short quote", 40) == "short quote"


def test_unchanged_points_are_collapsed_unless_asked() -> None:
    text = text_of(every_kind())
    assert "⋯ 1 unchanged point (1) not shown" in text
    assert "⋯ 2 unchanged points (8–9) not shown" in text
    shown = text_of(every_kind(), show_unchanged=True)
    assert "not shown" not in shown
    assert "1 → 1  unchanged  The ceasefire takes effect" in shown


def test_context_shows_neighbouring_unchanged_points() -> None:
    text = text_of(every_kind(), context=1, show_unreported=True)
    assert "1 → 1  unchanged" in text  # next to the rewording
    assert "8 → 8  unchanged" in text  # after the removal
    assert "9 → 9  unchanged" in text  # before the unreported point
    assert "not shown" not in text
    # An unreported point listed in one line brings no neighbours into view.
    folded = text_of(every_kind(), context=1)
    assert "9 → 9  unchanged" not in folded
    assert "⋯ 1 unchanged point (9) not shown" in folded
    with pytest.raises(ValueError, match="context"):
        terminal.render(every_kind(), context=-1)


def test_context_hides_far_unchanged_points() -> None:
    result = every_kind()
    changes = result.changes
    # Five unchanged points in a row after the first change: context 1 keeps only the edges.
    many = (changes[1], *tuple(changes[0] for _ in range(5)), changes[2])
    text = text_of(msgspec.structs.replace(result, changes=many), context=1)
    assert text.count("1 → 1  unchanged") == 2
    assert "⋯ 3 unchanged points (1) not shown" in text


def test_side_by_side_splits_the_redline() -> None:
    text = text_of(every_kind(), side_by_side=True)
    row = next(line for line in text.splitlines() if "[-15-]" in line)
    left, right = row[:52], row[52:]
    assert "[-15-]" in left and "{+" not in left
    assert "{+30+}" in right and "[-" not in right
    assert "old: plan-v1" in text and "new: plan-v2" in text


@pytest.mark.parametrize("width", [40, 60, 100, 160])
@pytest.mark.parametrize("side_by_side", [False, True])
def test_width_is_honoured(width: int, side_by_side: bool) -> None:
    text = text_of(every_kind(), width=width, side_by_side=side_by_side, show_unchanged=True)
    assert max(len(line) for line in text.splitlines()) <= width


def test_width_option_fixes_the_layout_on_a_wider_console() -> None:
    report = terminal.render(every_kind(), width=60)
    text = terminal.export(report, width=200)
    assert max(len(line) for line in text.splitlines()) <= 60


def test_plain_output_has_no_escapes_and_colour_output_no_markers() -> None:
    plain_text = text_of(every_kind())
    assert "\x1b" not in plain_text
    assert "[-15-]" in plain_text
    coloured = text_of(every_kind(), color=True)
    assert "[-15-]" not in coloured
    assert "\x1b[1;9;31m15" in coloured  # changed figure deleted: bold, struck, red
    assert "\x1b[1;4;32m30" in coloured  # changed figure inserted: bold, underlined, green
    assert "\x1b[9;31m" in coloured and "\x1b[4;32m" in coloured


def test_markers_can_be_forced() -> None:
    text = terminal.export(terminal.render(every_kind(), markers=True), color=True)
    assert "[-" in text and "{+" in text
    text = terminal.export(terminal.render(every_kind(), markers=False), color=False)
    assert "[-15-]" not in text


def test_plain_render_is_the_uncoloured_report() -> None:
    assert plain.render(every_kind(), width=80) == text_of(every_kind(), width=80)
    assert plain.render(every_kind(), side_by_side=True, context=2) == text_of(
        every_kind(), side_by_side=True, context=2
    )


def test_redline_text_sides() -> None:
    r = Redline(ops=((RedlineOp.EQUAL, "a "), (RedlineOp.DELETE, "b"), (RedlineOp.INSERT, "c")))
    assert terminal.redline_text(r, plain=True).plain == "a [-b-]{+c+}"
    assert terminal.redline_text(r, plain=True, side="old").plain == "a [-b-]"
    assert terminal.redline_text(r, plain=True, side="new").plain == "a {+c+}"
    assert terminal.redline_text(r, plain=False).plain == "a bc"


def test_hard_wrapped_lines_are_joined_but_part_boundaries_kept() -> None:
    ops = [(RedlineOp.EQUAL, "one\ntwo"), (RedlineOp.DELETE, "\nthree"), (RedlineOp.INSERT, " 3")]
    # The break before "three" becomes a space, which the insertion shares: shown once.
    assert reflow.reflow_ops(ops) == [
        (RedlineOp.EQUAL, "one two "),
        (RedlineOp.DELETE, "three"),
        (RedlineOp.INSERT, "3"),
    ]
    kept = reflow.reflow_ops([(RedlineOp.EQUAL, "one\ntwo")], ["one", "two"], ["one", "two"])
    assert kept == [(RedlineOp.EQUAL, "one\ntwo")]
    assert reflow.reflow("a\nb\n\nc\n  a) d\r\ne") == "a b\n\nc\n  a) d e"


# --------------------------------------------------------------------------- untrusted text


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("side_by_side", [False, True])
def test_hostile_text_is_shown_literally_and_never_interpreted(color, side_by_side) -> None:
    text = text_of(hostile(), color=color, side_by_side=side_by_side, show_unchanged=True)
    bare = SGR.sub("", text) if color else text
    assert not RAW_CONTROL.search(bare), RAW_CONTROL.search(bare)
    assert "\x1b]8" not in text  # no hyperlink (OSC 8) escapes
    if not color:
        assert "[bold red]x[/]" in text
        assert "\\x1b[31mred\\x1b[0m" in text
        assert "\\x1b]8;;http://evil.example\\x1b\\link" in text
        assert "\\x07bell\\x08" in text and "\\x9b31m" in text and "\\u202egnp.exe" in text
        assert "<script>alert(1)</script>" in text


def test_hostile_text_is_safe_on_a_console_with_markup_on() -> None:
    """Even a caller's console that parses markup does not interpret article text."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, markup=True, highlight=True)
    console.print(terminal.render(hostile()))
    assert "[bold red]x[/]" in buffer.getvalue()


def test_hostile_text_is_shown_in_plain() -> None:
    text = plain.render(hostile())
    assert not RAW_CONTROL.search(text)
    assert "[bold red]x[/]" in text
    assert HOSTILE.split()[0] in text


@pytest.mark.parametrize("width", [None, 60])
@pytest.mark.parametrize("color", [False, True])
def test_the_pieces_printed_one_by_one_print_the_report(width: int | None, color: bool) -> None:
    """What lets cli.output render a long report in parts (and in two processes)."""
    for result in (every_kind(), hostile(), seed_like(), nested_kinds()):
        report = terminal.render(result, width=width, side_by_side=width is None)

        def console() -> Console:
            return Console(
                file=io.StringIO(),
                width=80,
                color_system="standard" if color else None,
                force_terminal=color,
                no_color=not color,
                highlight=False,
                markup=False,
                emoji=False,
                soft_wrap=False,
            )

        whole = console()
        whole.print(report)
        parts = console()
        pieces = report.pieces(parts)
        assert len(pieces) > 5
        for piece in pieces:
            parts.print(piece)
        assert parts.file.getvalue() == whole.file.getvalue()  # type: ignore[attr-defined]


Ops = list[tuple[RedlineOp, str]]


def _reflow_reference(ops: Ops, old_parts: list[str], new_parts: list[str]) -> Ops:
    """reflow_ops as first written, a character at a time: the oracle for the fast one."""
    old_text = "".join(t for op, t in ops if op is not RedlineOp.INSERT)
    new_text = "".join(t for op, t in ops if op is not RedlineOp.DELETE)
    old_joins = reflow._joins(old_parts, old_text)
    new_joins = reflow._joins(new_parts, new_text)
    combined = "".join(t for _, t in ops)
    out: Ops = []
    old_pos = new_pos = pos = 0
    indent = False  # after a joined break: the next line's indentation is dropped
    for op, text in ops:
        chars: list[str] = []
        for i, ch in enumerate(text):
            k = pos + i
            if ch == "\r" and combined[k + 1 : k + 2] == "\n":
                continue
            if indent and ch in " \t":
                continue
            if ch != "\n":
                indent = False
                chars.append(ch)
                continue
            joined = (op is not RedlineOp.INSERT and old_pos + i in old_joins) or (
                op is not RedlineOp.DELETE and new_pos + i in new_joins
            )
            before = combined[:k].rstrip("\r")[-1:]
            paragraph = before == "\n" or combined[k + 1 : k + 2] in ("\n", "\r")
            item = (
                op is not RedlineOp.INSERT and reflow._ITEM_START.match(old_text, old_pos + i + 1)
            ) or (
                op is not RedlineOp.DELETE and reflow._ITEM_START.match(new_text, new_pos + i + 1)
            )
            kept = joined or paragraph or item or not before
            chars.append("\n" if kept else " ")
            indent = not kept
        out.append((op, "".join(chars)))
        pos += len(text)
        if op is not RedlineOp.INSERT:
            old_pos += len(text)
        if op is not RedlineOp.DELETE:
            new_pos += len(text)
    return reflow._tidy(out)


_LINEY = st.text(alphabet=st.sampled_from(list("ab -1.)\r\n\t•")), max_size=12)


@given(
    st.lists(st.tuples(st.sampled_from(list(RedlineOp)), _LINEY), max_size=8),
    st.lists(_LINEY, max_size=3),
    st.lists(_LINEY, max_size=3),
)
def test_reflow_ops_is_what_it_was_a_character_at_a_time(
    ops: Ops, old_parts: list[str], new_parts: list[str]
) -> None:
    old_text = "".join(t for op, t in ops if op is not RedlineOp.INSERT)
    new_text = "".join(t for op, t in ops if op is not RedlineOp.DELETE)
    if old_parts and "\n".join(old_parts) != old_text:
        old_parts = old_text.split("\n")  # parts that join up, so the joins are exercised
    if new_parts and "\n".join(new_parts) != new_text:
        new_parts = new_text.split("\n")
    assert reflow.reflow_ops(ops, old_parts, new_parts) == _reflow_reference(
        ops, old_parts, new_parts
    )


def test_a_rewrapped_indented_point_shows_only_its_changed_words() -> None:
    from plandiff.texts import diff_texts

    old = (
        "1. Both sides shall\n   withdraw within 14 days from\n   the line of contact, and   "
        "observers\n   shall verify it.\n\n2. Prisoners are exchanged.\n"
    )
    new = (
        "1. Both sides shall withdraw within 21 days\n   from the line of contact, and observers"
        " shall\n   verify it.\n\n2. Prisoners are exchanged.\n"
    )
    text = text_of(diff_texts(old, new))
    block = text[text.index("1 → 1  reworded") :].split("\n")
    assert block[1:3] == [
        "    Both sides shall withdraw within [-14-]{+21+} days from the line of contact, and "
        "observers shall",
        "    verify it.",
    ]
