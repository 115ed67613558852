"""
CloudWatch Logs Insights for the sandbox: moto 5.2 answers StartQuery with `fields`, `sort` and
`limit` only. This package runs the query language for real over the events the tasks wrote:
fields, filter, parse (glob and regex), stats (count, count_distinct, sum, avg, min, max, pct /
percentile, earliest, latest, arithmetic over them) by fields and bin(), sort, limit, display, and
the functions the built-in queries use (strcontains, ispresent, concat, tolower, toupper, abs,
floor, ceil). JSON messages have their top-level fields discovered, as Logs Insights does. A query
it cannot read is refused with MalformedQueryException, as AWS does.

- split.py    the query into commands at `|` (not inside strings or regexes)
- expr.py     expressions: tokens, parser, evaluation
- commands.py each command as a step over rows
- run.py      the executor that moto's LogQuery calls; install() wires it in
"""
from .run import install

__all__ = ["install"]
