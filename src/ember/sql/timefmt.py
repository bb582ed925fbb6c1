"""Java (``DateTimeFormatter``) date patterns as strftime patterns for Polars."""

from __future__ import annotations

from functools import lru_cache

_MAP = {
    "yyyy": "%Y",
    "yyy": "%Y",
    "yy": "%y",
    "y": "%Y",
    "uuuu": "%Y",
    "MMMM": "%B",
    "MMM": "%b",
    "MM": "%m",
    "M": "%-m",
    "dd": "%d",
    "d": "%-d",
    "DDD": "%j",
    "DD": "%-j",
    "D": "%-j",
    "HH": "%H",
    "H": "%-H",
    "hh": "%I",
    "h": "%-I",
    "kk": "%H",
    "mm": "%M",
    "m": "%-M",
    "ss": "%S",
    "s": "%-S",
    "SSSSSS": "%6f",
    "SSS": "%3f",
    "SS": "%3f",
    "S": "%3f",
    "a": "%p",
    "EEEE": "%A",
    "EEE": "%a",
    "E": "%a",
    "XXX": "%:z",
    "XX": "%z",
    "X": "%z",
    "Z": "%z",
    "z": "%Z",
    "VV": "%Z",
}


@lru_cache(maxsize=256)
def java_to_strftime(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            j = pattern.find("'", i + 1)
            if j == -1:
                j = len(pattern)
            lit = pattern[i + 1 : j]
            out.append("'" if lit == "" else lit.replace("%", "%%"))
            i = j + 1
            continue
        if ch.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            run = pattern[i:j]
            while run:
                for k in range(len(run), 0, -1):
                    if run[:k] in _MAP:
                        out.append(_MAP[run[:k]])
                        run = run[k:]
                        break
                else:
                    out.append(run[0])
                    run = run[1:]
            i = j
            continue
        out.append("%%" if ch == "%" else ch)
        i += 1
    return "".join(out)
