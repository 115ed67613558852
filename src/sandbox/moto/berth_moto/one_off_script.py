"""
The shell a one-off task runs in the sandbox: no real container runs, so a command override is
interpreted. What it understands (README, "The sandbox's one-off tasks"):

- `sh -c '<line>'` (also /bin/sh, bash), or the command's words themselves;
- statements `echo <text>` (a log line), `sleep <seconds>` (waits, at most 3600), `exit [<n>]`
  (ends the task with that exit code), separated by `;` (always runs the next) or `&&` (runs the
  next only when the last statement succeeded);
- the exit code is the last statement's status (0 when there is none). An unknown command prints
  `sh: 1: <word>: not found` and has status 127, as dash does; `|`, `||`, `&` are a syntax error
  (status 2), named in the task's log.

Pure: parse() turns the command into steps, run by one_off_tasks.py.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass

SHELLS = ("sh", "/bin/sh", "bash", "/bin/bash", "/usr/bin/env sh")
MAX_SLEEP = 3600.0


@dataclass
class Step:
    # "echo" | "sleep" | "exit" | "unknown" | "syntax"
    kind: str
    arg: str
    # How the step joins the one before: ";" or "&&".
    after: str = ";"


def words_of(command: list[str]) -> list[str]:
    """The tokens of a command override: `sh -c '<line>'` is tokenised, plain words are taken as they are."""
    if len(command) >= 3 and command[0] in SHELLS and command[1] == "-c":
        lex = shlex.shlex(command[2], posix=True, punctuation_chars=";&|")
        lex.whitespace_split = True
        try:
            return list(lex)
        except ValueError as e:  # an unterminated quote
            return ["\0syntax", str(e)]
    return list(command)


def parse(command: list[str]) -> list[Step]:
    tokens = words_of(command)
    if tokens[:1] == ["\0syntax"]:
        return [Step("syntax", f"sh: 1: Syntax error: {tokens[1]}")]
    steps: list[Step] = []
    current: list[str] = []
    after = ";"
    for tok in tokens + [";"]:
        if tok in (";", "&&"):
            if current:
                steps.append(statement(current, after))
            current = []
            after = tok
        elif tok and set(tok) <= set(";&|"):
            return steps + [Step("syntax", f'sh: 1: Syntax error: "{tok}" is not supported by the sandbox\'s shell (echo, sleep, exit; ";" and "&&")')]
        else:
            current.append(tok)
    return steps


def statement(words: list[str], after: str) -> Step:
    head, rest = words[0], words[1:]
    if head == "echo":
        return Step("echo", " ".join(rest), after)
    if head == "sleep":
        return Step("sleep", rest[0] if rest else "", after)
    if head == "exit":
        return Step("exit", rest[0] if rest else "", after)
    return Step("unknown", head, after)


def sleep_seconds(arg: str) -> float | None:
    try:
        v = float(arg.rstrip("s"))
    except ValueError:
        return None
    return min(max(v, 0.0), MAX_SLEEP) if v >= 0 else None


def exit_status(arg: str, last: int) -> int:
    if arg == "":
        return last
    try:
        return int(arg) & 0xFF
    except ValueError:
        return 2
