"""Each Logs Insights command as a step over rows (dicts of field -> value)."""
from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import Any

from .expr import Node, Parser, QueryError, evaluate, num, tokenize, truthy, walk


@dataclass
class State:
    rows: list[dict[str, Any]]
    columns: list[str] = field(default_factory=list)
    stats: bool = False
    sorted: bool = False
    limit: int | None = None


def items(text: str) -> list[tuple[Node, str]]:
    """`expr [as name], ...` -> (node, column name) pairs."""
    tokens = tokenize(text)
    parts: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for tok in tokens:
        if tok[1] in ("(", "["):
            depth += 1
        elif tok[1] in (")", "]"):
            depth -= 1
        if tok[1] == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(tok)
    out = []
    for part in parts:
        if not part:
            raise QueryError(f"empty item in {text!r}")
        alias = None
        if len(part) >= 3 and part[-2][1].lower() == "as":
            alias, part = part[-1][1].strip("`"), part[:-2]
        p = Parser(part)
        node = p.expr()
        if p.peek() is not None:
            raise QueryError(f"unexpected {p.peek()[1]!r} in {text!r}")  # type: ignore[index]
        out.append((node, alias or (node.value if node.kind == "field" else _text_of(part))))
    return out


def _text_of(tokens: list[tuple[str, str]]) -> str:
    s = ""
    for kind, t in tokens:
        s += (" " if s and (kind == "id" and s[-1] not in "(" or t.lower() in ("and", "or")) else "") + t
    return s


def _add_column(st: State, name: str) -> None:
    if name not in st.columns:
        st.columns.append(name)


def cmd_fields(st: State, args: str) -> None:
    for node, name in items(args):
        for row in st.rows:
            row[name] = evaluate(node, row)
        _add_column(st, name)


def cmd_display(st: State, args: str) -> None:
    cmd_fields(st, args)
    st.columns = [name for _, name in items(args)]


def cmd_filter(st: State, args: str) -> None:
    [(node, _)] = items(args) if "," not in args else [(Parser(tokenize(args)).expr(), "")]
    st.rows = [r for r in st.rows if truthy(evaluate(node, r))]


_PARSE = re.compile(
    r"^(?P<field>[@\w.]+)\s+"
    r"(?:(?P<re>/.*/[ims]*)|(?P<glob>\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')\s+as\s+(?P<names>.+))$",
    re.S,
)


def cmd_parse(st: State, args: str) -> None:
    m = _PARSE.match(args.strip())
    if not m:
        raise QueryError(f"parse: expected `parse FIELD /regex/` or `parse FIELD \"glob*\" as a, b`, found {args!r}")
    if m.group("re"):
        body, _, flags = m.group("re")[1:].rpartition("/")
        rx = re.compile(re.sub(r"\(\?<(\w+)>", r"(?P<\1>", body), re.I if "i" in flags else 0)
        names = list(rx.groupindex)
    else:
        names = [n.strip() for n in m.group("names").split(",")]
        pieces = m.group("glob")[1:-1].split("*")
        if len(pieces) - 1 != len(names):
            raise QueryError(f"parse: {len(pieces) - 1} wildcards but {len(names)} names")
        pattern = re.escape(pieces[0]) + "".join("(.*?)" + re.escape(p) for p in pieces[1:])
        rx = re.compile(pattern[: -len("(.*?)")] + "(.*)" if pieces[-1] == "" else pattern)
    for row in st.rows:
        hit = rx.search(str(row.get(m.group("field")) or ""))
        if hit:
            values = [hit.group(n) for n in names] if m.group("re") else list(hit.groups())
            row.update({n: v for n, v in zip(names, values) if v is not None})
    for n in names:
        _add_column(st, n)


def cmd_sort(st: State, args: str) -> None:
    keys = []
    for part in args.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise QueryError(f"sort: expected `FIELD [asc|desc]`, found {part.strip()!r}")
        keys.append((words[0], len(words) == 1 or words[1].lower() == "desc"))
    for name, desc in reversed(keys):
        present = [r for r in st.rows if r.get(name) not in (None, "")]
        absent = [r for r in st.rows if r.get(name) in (None, "")]
        present.sort(key=lambda r: (0, num(r[name])) if num(r[name]) is not None else (1, str(r[name])), reverse=desc)
        st.rows = present + absent
    st.sorted = True


def cmd_limit(st: State, args: str) -> None:
    if not re.fullmatch(r"\d+", args.strip()) or not 1 <= int(args) <= 10000:
        raise QueryError(f"limit: expected a number from 1 to 10000, found {args.strip()!r}")
    st.limit = int(args)
    st.rows = st.rows[: st.limit]


def cmd_stats(st: State, args: str) -> None:
    m = re.search(r"\s+by\s+(?=[^)]*(?:\(|$))", args, re.I)
    agg_text, by_text = (args[: m.start()], args[m.end():]) if m else (args, "")
    aggs = items(agg_text)
    groups = items(by_text) if by_text.strip() else []
    buckets: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in st.rows:
        key = tuple(_group_value(node, row) for node, _ in groups)
        buckets.setdefault(key, []).append(row)
    out = []
    for key, rows in sorted(buckets.items(), key=lambda kv: tuple("" if v is None else str(v) for v in kv[0])):
        res = {name: v for (_, name), v in zip(groups, key)}
        for node, name in aggs:
            values = {id(n): aggregate(n, rows) for n in walk(node) if n.kind == "agg"}
            if not values:
                raise QueryError(f"stats: {name} has no aggregate function")
            res[name] = evaluate(node, {}, values)
        out.append(res)
    st.rows = out
    st.columns = [name for _, name in groups] + [name for _, name in aggs]
    st.stats = True
    st.sorted = False


def _group_value(node: Node, row: dict[str, Any]) -> Any:
    if node.kind == "call" and node.value == "bin":
        width = evaluate(node.args[0], row) * 1000
        start = int(row["@timestamp"] // width * width)
        return datetime.fromtimestamp(start / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S.000")
    return evaluate(node, row)


def aggregate(node: Node, rows: list[dict[str, Any]]) -> Any:
    fn = node.value
    arg = node.args[0] if node.args else Node("star")
    if fn == "count":
        return len(rows) if arg.kind == "star" else sum(1 for r in rows if evaluate(arg, r) not in (None, ""))
    values = [evaluate(arg, r) for r in rows]
    if fn == "count_distinct":
        return len({str(v) for v in values if v not in (None, "")})
    if fn in ("earliest", "latest"):
        pairs = [(r["@timestamp"], v) for r, v in zip(rows, values) if v not in (None, "")]
        if not pairs:
            return None
        v = (min(pairs) if fn == "earliest" else max(pairs))[1]
        is_time = arg.kind == "field" and arg.value in ("@timestamp", "@ingestionTime")
        return datetime.fromtimestamp(v / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if is_time else v
    nums = sorted(n for n in (num(v) for v in values) if n is not None)
    if not nums:
        return None
    if fn in ("pct", "percentile"):
        p = evaluate(node.args[1], {}) if len(node.args) > 1 else 50
        return nums[max(0, math.ceil(p / 100 * len(nums)) - 1)]
    if fn == "stddev":
        mean = sum(nums) / len(nums)
        return math.sqrt(sum((x - mean) ** 2 for x in nums) / len(nums))
    return {"sum": sum(nums), "avg": sum(nums) / len(nums), "min": nums[0], "max": nums[-1]}[fn]


COMMANDS = {"fields": cmd_fields, "display": cmd_display, "filter": cmd_filter, "parse": cmd_parse,
            "sort": cmd_sort, "limit": cmd_limit, "stats": cmd_stats}
