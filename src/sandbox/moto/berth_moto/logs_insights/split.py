"""Split a Logs Insights query into its commands at `|`, respecting quotes and /regex/ literals."""
from __future__ import annotations

import re

_REGEX_BEFORE = re.compile(r"(\blike|=~|\bparse\s+[@\w.]+|\bparse)\s*$", re.IGNORECASE)


def split_commands(query: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    i = 0
    while i < len(query):
        c = query[i]
        if c in "\"'`":
            j = _end_of(query, i, c)
            cur.append(query[i:j])
            i = j
            continue
        if c == "/" and _REGEX_BEFORE.search("".join(cur)):
            j = _end_of(query, i, "/")
            cur.append(query[i:j])
            i = j
            continue
        if c == "|":
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur).strip())
    return [c for c in out if c and not c.startswith("#")]


def _end_of(text: str, start: int, quote: str) -> int:
    """Index just past the literal opened at `start` (backslash escapes the quote)."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            j = i + 1
            while quote == "/" and j < len(text) and text[j] in "ims":  # regex flags
                j += 1
            return j
        i += 1
    raise ValueError(f"unterminated {quote} literal at position {start}")
