"""
Reachability in the emulator: the same model as berth's doctor (src/network/, TypeScript;
test/network/conformance.json keeps the two in step), over moto's EC2 state.

- model.py   the rules: facts in, verdict out (pure, no moto)
- facts.py   the facts from moto's EC2 backend
- task.py    why a task of the ECS simulation cannot start (ECS's own ResourceInitializationError /
             CannotPullContainerError wording, i/o timeout)
- deps.py    the database and cache endpoints of its environment and secrets it cannot open, and
             the connection timeouts a Python app logs for them
"""
