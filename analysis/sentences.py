"""Sentence-like spans of text, shared by chunking, extractive summaries and grounding."""

from __future__ import annotations

import re

# A span ends after sentence punctuation followed by space, after a full stop of a script written
# without spaces (Chinese and Japanese 。！？, the Devanagari danda), at a blank line, or before a
# line that starts a list item or clause marker.
_BREAK = re.compile(
    r"(?<=[.!?;\u061f\u0964\u0965])\s+(?=\S)"
    r"|(?<=[\u3002\uff01\uff1f\uff61])[\s\u3000]*(?=[^\s\u3000\u3002\uff01\uff1f\uff61\u300d\u300f\uff09])"
    r"|\n[ \t]*\n\s*|\n(?=[ \t]*(?:\(?[0-9a-zA-Z]{1,4}[.)]|[-*\u2022])\s)"
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the non-blank sentence-like spans of ``text[start:end]``."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return [(a, b) for a, b in (strip_span(text, a, b) for a, b in spans) if b > a]


def split_sentences(text: str) -> list[str]:
    return [" ".join(text[a:b].split()) for a, b in sentence_spans(text)]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
