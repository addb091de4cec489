"""Segmentation survives the ways real copies of a text differ in layout.

The same constitution, licence or resolution reaches users re-wrapped at another width,
indented, converted to Markdown, with Windows line breaks, with its blank lines lost, paged with
running heads, or with a stray line before it. Each perturbation below changes only layout (or
adds a line that is plainly not a point), so the top-level numbering of every document of the
real corpus (tests/real/) must come out exactly as its hand-written truth says. A rule tuned to
one document's layout fails here on the others.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

import pytest

from plandiff.segmentation import Segmentation, Span, segment
from tests.helpers import real_benchmark

real = real_benchmark()

DOCS = real.load_documents()


def crlf(text: str, seg: Segmentation) -> str:
    return text.replace("\n", "\r\n")


def indented(text: str, seg: Segmentation) -> str:
    return "".join("    " + line if line.strip() else line for line in text.splitlines(True))


def indented_list(text: str, seg: Segmentation) -> str:
    """The points indented by three spaces, the preamble and closing left at the margin."""
    start = seg.points[0].start if seg.points else 0
    end = seg.closing.start if seg.closing is not None else len(text)
    body = "".join(
        "   " + line if line.strip() else line for line in text[start:end].splitlines(True)
    )
    return text[:start] + body + text[end:]


def no_blank_lines(text: str, seg: Segmentation) -> str:
    return re.sub(r"\n(?:[ \t]*\n)+", "\n", text)


def _rewrap(text: str, width: int) -> str:
    """Paragraph lines joined where a line only continues the one before (it starts in lower
    case), then wrapped again at ``width`` with each paragraph's own indentation. Box borders
    and quote bars ("*  6. Disclaimer  *", "| …") are kept as they are."""
    logical: list[list[str]] = []  # an empty list stands for a blank line
    verbatim: set[int] = set()
    for line in text.split("\n"):
        body = line.strip()
        if body[:1] in "*|>":
            verbatim.add(len(logical))
            logical.append([line])
        elif logical and logical[-1] and len(logical) - 1 not in verbatim and body[:1].islower():
            logical[-1].append(body)
        else:
            logical.append([line.rstrip()] if body else [])
    out: list[str] = []
    for k, parts in enumerate(logical):
        if not parts or k in verbatim:
            out.append(parts[0] if parts else "")
            continue
        first = parts[0]
        indent = first[: len(first) - len(first.lstrip())]
        joined = " ".join([first.strip(), *parts[1:]])
        out.extend(
            textwrap.wrap(
                joined,
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def rewrapped_narrow(text: str, seg: Segmentation) -> str:
    return _rewrap(text, 60)


def rewrapped_wide(text: str, seg: Segmentation) -> str:
    return _rewrap(text, 100)


def _restyle_markers(text: str, seg: Segmentation, restyle: Callable[[str, str], str]) -> str:
    """The points' marker lines rewritten by ``restyle(indent + label, rest of line)``."""
    lines = text.split("\n")
    for p in seg.points:
        if p.number is None:
            return text  # a bulleted list is not set as headings or in bold
        at = text.find(p.label, p.start)
        i = text.count("\n", 0, at)
        line = lines[i]
        start = at - (text.rfind("\n", 0, at) + 1)
        if line[:start].strip():  # the label is decorated ("## 1.", "**1.**"): keep as it is
            continue
        label_end = start + len(p.label)
        lines[i] = restyle(line[:label_end], line[label_end:])
    return "\n".join(lines)


def markdown_headings(text: str, seg: Segmentation) -> str:
    return _restyle_markers(text, seg, lambda label, rest: f"## {label.strip()}{rest}")


def bold_markers(text: str, seg: Segmentation) -> str:
    def bold(label: str) -> str:
        indent = label[: len(label) - len(label.lstrip())]
        return f"{indent}**{label.strip()}**"

    return _restyle_markers(text, seg, lambda label, rest: bold(label) + rest)


def _page(lines: list[str], most: int) -> int:
    """Lines per page: ``most``, fewer for a short text so that it has three page breaks."""
    return max(4, min(most, len(lines) // 4))


def paged(text: str, seg: Segmentation) -> str:
    """A running head and footer at every page break, as in an RFC."""
    out: list[str] = []
    page = 1
    lines = text.split("\n")
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % _page(lines, 40) == 0:
            footer = f"Example Working Group        Expires 4 June 2027        [Page {page}]"
            out += ["", footer, "\f", "Internet-Draft       Example Text       December 2026", ""]
            page += 1
    return "\n".join(out)


def page_numbers(text: str, seg: Segmentation) -> str:
    """A page number alone on a line, set off by blank lines (as PDF extraction leaves it)."""
    out: list[str] = []
    lines = text.split("\n")
    size = _page(lines, 30)
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % size == 0:
            out += ["", f"{' ' * 38}{i // size + 1}", ""]
    return "\n".join(out)


def stray_preamble(text: str, seg: Segmentation) -> str:
    """A wrapped preamble fragment starting "(2)" and a line starting with a year."""
    return (
        "(2) offer you this text, which gives you legal permission to copy it.\n"
        "2019. Consolidated version, with the amendments in force.\n\n" + text
    )


def excerpt(text: str, seg: Segmentation) -> str:
    """The text up to its last third of points, as excerpts are kept: where a constitution's
    later articles (those without sections, say) are cut off, the earlier ones must still win."""
    return text[: seg.points[len(seg.points) * 2 // 3].start] if len(seg.points) >= 3 else text


#: Perturbations that change nothing but layout: the whole truth must hold, closing included.
LAYOUT_ONLY = (crlf, indented, indented_list)
PERTURBATIONS = (
    *LAYOUT_ONLY,
    no_blank_lines,
    rewrapped_narrow,
    rewrapped_wide,
    markdown_headings,
    bold_markers,
    paged,
    page_numbers,
    stray_preamble,
    excerpt,
)


def _words(span: Span | None) -> str:
    return " ".join(span.text.split()) if span is not None else ""


def _numbers(seg: Segmentation) -> list[str]:
    return [real.found_number(p) for p in seg.points]


@pytest.mark.parametrize("perturb", PERTURBATIONS, ids=[p.__name__ for p in PERTURBATIONS])
@pytest.mark.parametrize("doc", DOCS, ids=[d.id for d in DOCS])
def test_numbering_survives_layout_changes(doc: real.Document, perturb: Callable) -> None:
    if perturb not in LAYOUT_ONLY and doc.numbers and all(n == "¶" for n in doc.numbers):
        # An unnumbered text's structure is its layout: blank lines and line ends are what
        # its paragraphs are, and a stray line or a running head is one more paragraph.
        pytest.skip(f"{perturb.__name__} changes what an unnumbered text's paragraphs are")
    original = segment(doc.text)
    changed = perturb(doc.text, original)
    if changed == doc.text:
        pytest.skip(f"{perturb.__name__} leaves this text as it is")
    seg = segment(changed)
    if perturb in LAYOUT_ONLY:
        # The original is exact against the truth, so the same cut, whitespace aside, is too.
        assert _numbers(seg) == _numbers(original)
        for part in ("preamble", "closing"):
            assert _words(getattr(seg, part)) == _words(getattr(original, part)), part
        return
    kept = len(doc.numbers) * 2 // 3 if perturb is excerpt else len(doc.numbers)
    if doc.bulleted:
        assert len(seg.points) == kept
    else:
        assert _numbers(seg) == [real.norm_number(n) for n in doc.numbers[:kept]]
