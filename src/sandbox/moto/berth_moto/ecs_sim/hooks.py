"""Lifecycle hooks of a blue/green, canary or linear deployment (deploymentConfiguration.lifecycleHooks).

A hook runs when the deployment enters one of its lifecycleStages (PRE_PRODUCTION_TRAFFIC_SHIFT: when
POST_TEST_TRAFFIC_SHIFT is done) and the deployment does not leave that stage until every hook of it
is done, as on ECS; DescribeServiceDeployments shows the stage's hooks in lifecycleHookDetails.

- PAUSE: AWAITING_ACTION until ContinueServiceDeployment (CONTINUE: SUCCEEDED, the deployment goes
  on; ROLLBACK: FAILED, the deployment rolls back), or until its timeoutConfiguration
  (timeoutInMinutes, scaled like every duration; action CONTINUE or ROLLBACK) expires: TIMED_OUT.
  Without a timeoutConfiguration it waits for ContinueServiceDeployment.
- AWS_LAMBDA: recorded as SUCCEEDED at once: the emulator invokes no Lambda function."""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from moto.core.utils import utcnow

from ..settings import scaled


def start_hooks(sd: Any, stage: str, now: float) -> None:
    """The hooks of `stage` begin (the previous stage's details are replaced)."""
    details = []
    for h in sd.dc.get("lifecycleHooks") or []:
        if stage not in (h.get("lifecycleStages") or []):
            continue
        kind = h.get("targetType") or "AWS_LAMBDA"
        d: dict[str, Any] = {"hookId": str(uuid.uuid4()), "targetType": kind}
        if kind == "PAUSE":
            d["status"] = "AWAITING_ACTION"
            timeout = h.get("timeoutConfiguration") or {}
            if timeout.get("timeoutInMinutes") is not None:
                wait = scaled(float(timeout["timeoutInMinutes"]) * 60.0)
                d["expiresAt"] = utcnow() + timedelta(seconds=wait)
                d["timeoutAction"] = timeout.get("action") or "ROLLBACK"
                d["_deadline"] = now + wait
        else:
            d["targetArn"] = h.get("hookTargetArn")
            d["status"] = "SUCCEEDED"
        details.append(d)
    sd.hooks = details


def pending(sd: Any, now: float) -> str | None:
    """'wait' while a hook of the stage awaits action, 'ROLLBACK' when one failed or timed out into a
    rollback, None when all are done (a timeout with CONTINUE counts as done)."""
    for d in sd.hooks:
        if d["status"] == "AWAITING_ACTION" and d.get("_deadline") is not None and now >= d["_deadline"]:
            d["status"] = "TIMED_OUT"
            if d.get("timeoutAction") == "ROLLBACK":
                return "ROLLBACK"
        if d["status"] == "FAILED":
            return "ROLLBACK"
        if d["status"] == "AWAITING_ACTION":
            return "wait"
    return None


def act(sd: Any, hook_id: str, action: str) -> bool:
    """ContinueServiceDeployment on one hook; False when no such hook awaits action."""
    for d in sd.hooks:
        if d["hookId"] == hook_id and d["status"] == "AWAITING_ACTION":
            d["status"] = "SUCCEEDED" if action == "CONTINUE" else "FAILED"
            return True
    return False
