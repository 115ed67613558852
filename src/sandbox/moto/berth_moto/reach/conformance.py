"""Run the shared conformance cases (a JSON file: {facts, cases}) through this model; print
[{name, got}] as JSON. Used by test/network/conformance.test.ts; imports nothing of moto."""
from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model  # noqa: E402


def run(case: dict, facts: dict) -> object:
    f = dict(facts, **(case.get("with") or {}))
    if case["kind"] == "service":
        return model.reach_service(f, case["task"], case["service"])
    if case["kind"] == "peer":
        return model.reach_peer(f, case["src"], case["dst"])
    return model.first_start_failure(f, case["task"], case["needs"])


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        doc = json.load(fh)
    json.dump([{"name": c["name"], "got": run(c, doc["facts"])} for c in doc["cases"]], sys.stdout)


if __name__ == "__main__":
    main()
