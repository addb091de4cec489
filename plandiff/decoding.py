"""Decoding the bytes of a text file: UTF-8, or UTF-16/32 that says so with a byte-order mark.

Kept apart from :mod:`plandiff.store` (which re-exports it) so that diffing two plan files
decodes them without importing the registry's pydantic models: 0.1 s of a short diff.
"""

from __future__ import annotations


def decode_text(data: bytes) -> str:
    """Decode a source text: UTF-8 (a BOM is accepted and dropped), no NUL bytes."""
    if b"\x00" in data:
        if _looks_like_utf16(data):
            raise ValueError(
                "UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)"
            )
        raise ValueError("binary content (NUL bytes), not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
        ) from exc
    return text.removeprefix("\ufeff")


#: Byte-order marks of the encodings Windows editors call "Unicode" (UTF-32's first: its
#: little-endian mark starts with UTF-16's).
_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32-LE"),
    (b"\x00\x00\xfe\xff", "UTF-32-BE"),
    (b"\xff\xfe", "UTF-16-LE"),
    (b"\xfe\xff", "UTF-16-BE"),
)


def decode_any_text(data: bytes) -> str:
    """:func:`decode_text`, and UTF-16 or UTF-32 text that starts with its byte-order mark.

    For text that is read, not kept byte for byte: plan files to diff, and articles whose text
    is extracted (the registry stores a source's text as UTF-8). Notepad's "Unicode" is UTF-16.
    """
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                where = exc.start + len(bom)
                raise ValueError(
                    f"not {codec} (byte {where}: {data[where : where + 1]!r})"
                ) from exc
            if "\x00" in text:
                raise ValueError("binary content (NUL characters), not a text file")
            return text
    return decode_text(data)


def _looks_like_utf16(data: bytes) -> bool:
    """Mostly ASCII text in UTF-16: every other byte is NUL (binary files have a few NULs)."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return False
    nuls = max(sample[0::2].count(0), sample[1::2].count(0))
    return nuls >= 0.8 * pairs and sample.count(0) <= 0.6 * len(sample)
