"""Logs Insights expressions: tokenizer, Pratt parser, and evaluation over one row (a dict)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

AGGREGATES = {"count", "count_distinct", "sum", "avg", "min", "max", "pct", "percentile", "earliest", "latest", "stddev"}

_BASE = (
    r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[smhd]\b)?)|(?P<str>\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')"
    r"|(?P<id>@?[A-Za-z_][\w.@]*|`[^`]+`)|(?P<op>!=|<=|>=|=~|[=<>+\-*/%(),\[\]^!]))"
)
_TOKEN = re.compile(_BASE)
_TOKEN_AFTER_LIKE = re.compile(r"\s*(?P<re>/(?:\\.|[^/\\])*/[ims]*)|" + _BASE)


@dataclass
class Node:
    kind: str  # field, num, str, regex, call, agg, unary, binary, list, star
    value: Any = None
    args: list["Node"] = field(default_factory=list)


class QueryError(ValueError):
    pass


def tokenize(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        after_like = bool(out) and out[-1][1].lower() in ("like", "=~")
        m = (_TOKEN_AFTER_LIKE if after_like else _TOKEN).match(text, pos)
        if not m or m.end() == pos:
            raise QueryError(f"unexpected character at {text[pos:pos + 20]!r}")
        kind = m.lastgroup or "op"
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


_BINARY = {"or": 1, "and": 2, "=": 4, "!=": 4, "<": 4, ">": 4, "<=": 4, ">=": 4, "like": 4, "=~": 4, "in": 4,
           "+": 5, "-": 5, "*": 6, "/": 6, "%": 6, "^": 7}


class Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.t = tokens
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise QueryError("unexpected end of expression")
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        tok = self.take()
        if tok[1].lower() != value:
            raise QueryError(f"expected {value!r}, found {tok[1]!r}")

    def at(self, *values: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[1].lower() in values

    def expr(self, min_prec: int = 0) -> Node:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None:
                return left
            op = tok[1].lower()
            if op == "not" and self.i + 1 < len(self.t) and self.t[self.i + 1][1].lower() in ("like", "in"):
                if 4 < min_prec:
                    return left
                self.i += 1
                inner = self.binary(left, self.take()[1].lower(), 4)
                left = Node("unary", "not", [inner])
                continue
            prec = _BINARY.get(op)
            if prec is None or prec < min_prec or tok[0] not in ("op", "id"):
                return left
            self.i += 1
            left = self.binary(left, op, prec)

    def binary(self, left: Node, op: str, prec: int) -> Node:
        if op in ("like", "=~"):
            tok = self.take()
            right = Node("regex", _regex(tok[1])) if tok[0] == "re" else Node("str", _unquote(tok[1]))
        elif op == "in":
            right = self.list_literal()
        else:
            right = self.expr(prec + 1)
        return Node("binary", op, [left, right])

    def list_literal(self) -> Node:
        self.expect("[")
        items: list[Node] = []
        while not self.at("]"):
            items.append(self.expr())
            if self.at(","):
                self.take()
        self.expect("]")
        return Node("list", None, items)

    def unary(self) -> Node:
        tok = self.take()
        kind, text = tok
        low = text.lower()
        if low == "not" or text == "!":
            return Node("unary", "not", [self.expr(3)])
        if text == "-":
            return Node("unary", "neg", [self.expr(7)])
        if text == "(":
            inner = self.expr()
            self.expect(")")
            return inner
        if text == "*":
            return Node("star")
        if kind == "num":
            return Node("num", _number(text))
        if kind == "str":
            return Node("str", _unquote(text))
        if kind == "re":
            return Node("regex", _regex(text))
        if kind == "id":
            if self.at("("):
                return self.call(text)
            return Node("field", text.strip("`"))
        raise QueryError(f"unexpected {text!r}")

    def call(self, name: str) -> Node:
        self.expect("(")
        args: list[Node] = []
        while not self.at(")"):
            args.append(self.expr())
            if self.at(","):
                self.take()
        self.expect(")")
        low = name.lower()
        return Node("agg" if low in AGGREGATES else "call", low, args)


def _unquote(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s[1:-1])


def _number(s: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if s[-1] in units:
        return float(s[:-1]) * units[s[-1]]
    return float(s)


def _regex(s: str) -> re.Pattern[str]:
    body, _, flags = s[1:].rpartition("/")
    f = re.IGNORECASE if "i" in flags else 0
    return re.compile(re.sub(r"\(\?<(\w+)>", r"(?P<\1>", body), f)


def parse_expr(text: str) -> Node:
    p = Parser(tokenize(text))
    node = p.expr()
    if p.peek() is not None:
        raise QueryError(f"unexpected {p.peek()[1]!r} in {text!r}")  # type: ignore[index]
    return node


def name_of(node: Node, text: str) -> str:
    """The column name Logs Insights gives an unnamed expression: its text."""
    return node.value if node.kind == "field" else text.strip()


# --- evaluation -----------------------------------------------------------------------------------

def num(v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def truthy(v: Any) -> bool:
    return v not in (None, "", 0, False, 0.0)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "strcontains": lambda s, sub: 1 if s is not None and str(sub) in str(s) else 0,
    "ispresent": lambda v: 1 if v not in (None, "") else 0,
    "isempty": lambda v: 1 if v in (None, "") else 0,
    "concat": lambda *a: "".join("" if x is None else _text(x) for x in a),
    "tolower": lambda s: None if s is None else str(s).lower(),
    "toupper": lambda s: None if s is None else str(s).upper(),
    "strlen": lambda s: 0 if s is None else len(str(s)),
    "abs": lambda x: None if num(x) is None else abs(num(x)),  # type: ignore[arg-type]
    "floor": lambda x: None if num(x) is None else math.floor(num(x)),  # type: ignore[arg-type]
    "ceil": lambda x: None if num(x) is None else math.ceil(num(x)),  # type: ignore[arg-type]
    "coalesce": lambda *a: next((x for x in a if x not in (None, "")), None),
}


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def evaluate(node: Node, row: dict[str, Any], aggs: dict[int, Any] | None = None) -> Any:
    k = node.kind
    if k == "field":
        return row.get(node.value)
    if k in ("num", "str", "regex"):
        return node.value
    if k == "agg":
        if aggs is None:
            raise QueryError(f"{node.value}() is an aggregate: use it in stats")
        return aggs[id(node)]
    if k == "call":
        fn = FUNCTIONS.get(node.value)
        if fn is None:
            raise QueryError(f"unknown function {node.value}()")
        if node.value == "bin":
            raise QueryError("bin() belongs after stats ... by")
        return fn(*[evaluate(a, row, aggs) for a in node.args])
    if k == "unary":
        v = evaluate(node.args[0], row, aggs)
        return (0 if truthy(v) else 1) if node.value == "not" else (None if num(v) is None else -num(v))  # type: ignore[operator]
    if k == "list":
        return [evaluate(a, row, aggs) for a in node.args]
    if k == "binary":
        return _binary(node, row, aggs)
    raise QueryError(f"cannot evaluate {k}")


def _binary(node: Node, row: dict[str, Any], aggs: dict[int, Any] | None) -> Any:
    op = node.value
    left = evaluate(node.args[0], row, aggs)
    if op == "and":
        return 1 if truthy(left) and truthy(evaluate(node.args[1], row, aggs)) else 0
    if op == "or":
        return 1 if truthy(left) or truthy(evaluate(node.args[1], row, aggs)) else 0
    right = evaluate(node.args[1], row, aggs)
    if op in ("like", "=~"):
        if left is None:
            return 0
        if isinstance(right, re.Pattern):
            return 1 if right.search(str(left)) else 0
        return 1 if str(right) in str(left) else 0
    if op == "in":
        return 1 if any(_eq(left, x) for x in right) else 0
    if op in ("=", "!="):
        return 1 if _eq(left, right) == (op == "=") else 0
    if op in ("<", ">", "<=", ">="):
        a, b = (num(left), num(right)) if num(left) is not None and num(right) is not None else (left, right)
        if a is None or b is None:
            return 0
        return 1 if {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op] else 0
    a, b = num(left), num(right)
    if a is None or b is None:
        return None
    if op in ("/", "%") and b == 0:
        return None
    return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if op == "/" else 0, "%": a % b if op == "%" else 0, "^": a ** b}[op]


def _eq(a: Any, b: Any) -> bool:
    if num(a) is not None and num(b) is not None:
        return num(a) == num(b)
    return a is not None and str(a) == str(b)


def walk(node: Node) -> list[Node]:
    out = [node]
    for a in node.args:
        out.extend(walk(a))
    return out
