"""The executor moto's LogQuery calls, and install() that puts it in place of moto's."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from moto.core.exceptions import JsonRESTError

from .commands import COMMANDS, State
from .expr import QueryError
from .split import split_commands


class MalformedQueryException(JsonRESTError):
    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("MalformedQueryException", message)


def rows_of(log_groups: list[Any], start_time: int, end_time: int) -> list[dict[str, Any]]:
    rows = []
    for group in log_groups:
        for stream in group.streams.values():
            for ev in stream.events:
                if start_time and ev.timestamp < start_time * 1000 or end_time and ev.timestamp > end_time * 1000:
                    continue
                row: dict[str, Any] = {"@timestamp": ev.timestamp, "@message": ev.message, "@logStream": stream.log_stream_name,
                                       "@log": f"{group.account_id}:{group.name}", "@ingestionTime": ev.ingestion_time, "@ptr": ev.event_id}
                row.update(discovered(ev.message))
                rows.append(row)
    return rows


def discovered(message: str) -> dict[str, Any]:
    """Top-level (and one level nested, dotted) fields of a JSON message, as Logs Insights discovers them."""
    text = message.strip()
    if not text.startswith("{"):
        return {}
    try:
        doc = json.loads(text)
    except ValueError:
        return {}
    out: dict[str, Any] = {}
    for k, v in doc.items() if isinstance(doc, dict) else []:
        if isinstance(v, dict):
            out.update({f"{k}.{k2}": v2 for k2, v2 in v.items() if not isinstance(v2, (dict, list))})
        elif not isinstance(v, list):
            out[k] = v
    return out


def execute(log_groups: list[Any], query: str, start_time: int, end_time: int) -> list[dict[str, str]]:
    try:
        commands = split_commands(query)
        st = State(rows=rows_of(log_groups, start_time, end_time))
        for cmd in commands:
            m = re.match(r"(\w+)\s*(.*)$", cmd, re.S)
            if not m or m.group(1).lower() not in COMMANDS:
                raise QueryError(f"unknown command {cmd.split()[0] if cmd.split() else cmd!r}")
            COMMANDS[m.group(1).lower()](st, m.group(2))
    except (QueryError, ValueError, re.error, KeyError, TypeError) as e:
        raise MalformedQueryException(f"{e}") from None
    return shape(st)


def shape(st: State) -> list[dict[str, str]]:
    rows = st.rows
    if not st.stats and not st.sorted:
        rows = sorted(rows, key=lambda r: r["@timestamp"], reverse=True)
    rows = rows[: st.limit or 10000]
    cols = st.columns or ["@timestamp", "@message"]
    out = []
    for r in rows:
        d = {c: text(c, r[c]) for c in cols if r.get(c) not in (None, "")}
        if not st.stats:
            d["@ptr"] = str(r["@ptr"])
        out.append(d)
    return out


def text(column: str, v: Any) -> str:
    if column in ("@timestamp", "@ingestionTime") and isinstance(v, (int, float)):
        return datetime.fromtimestamp(v / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.4f}".rstrip("0")
    return str(v)


def install() -> None:
    from moto.logs import models

    models.execute_query = execute  # LogQuery.__init__ calls models.execute_query
