"""The deployment strategy fields of CreateService / UpdateService, checked as ECS checks them before
anything changes: `deploymentConfiguration.strategy` (ROLLING, BLUE_GREEN, CANARY, LINEAR),
`bakeTimeInMinutes`, `canaryConfiguration`, `linearConfiguration`, `alarms`, `lifecycleHooks`, and
per load balancer `advancedConfiguration {alternateTargetGroupArn, productionListenerRule,
testListenerRule, roleArn}`. Ranges are the API reference's (CanaryConfiguration,
LinearConfiguration, DeploymentConfiguration); a refusal is InvalidParameterException."""
from __future__ import annotations

import json
from typing import Any

from moto.ecs.exceptions import InvalidParameterException

STRATEGIES = ("ROLLING", "BLUE_GREEN", "CANARY", "LINEAR")
PROGRESSIVE = ("BLUE_GREEN", "CANARY", "LINEAR")
HOOK_STAGES = (
    "RECONCILE_SERVICE",
    "PRE_SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRE_PRODUCTION_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
)
# The API reference's defaults (CanaryConfiguration, LinearConfiguration).
CANARY_DEFAULTS = {"canaryPercent": 5.0, "canaryBakeTimeInMinutes": 10}
LINEAR_DEFAULTS = {"stepPercent": 10.0, "stepBakeTimeInMinutes": 6}
MAX_BAKE_MINUTES = 1440


def strategy_of(dc: dict[str, Any] | None) -> str:
    return str((dc or {}).get("strategy") or "ROLLING")


def _minutes(name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BAKE_MINUTES:
        raise InvalidParameterException(f"{name} must be between 0 and {MAX_BAKE_MINUTES} minutes (24 hours); got {value}.")


def _percent(name: str, value: Any, low: float) -> None:
    if value is None:
        return
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InvalidParameterException(f"{name} must be a number; got {value}.")
    tenths = round(v * 10)
    if not (low <= v <= 100.0) or abs(v * 10 - tenths) > 1e-6:
        raise InvalidParameterException(f"{name}: valid values are multiples of 0.1 from {low} to 100.0; got {value}.")


def _hooks(hooks: Any) -> None:
    for i, h in enumerate(hooks or []):
        where = f"deploymentConfiguration.lifecycleHooks[{i}]"
        if not h.get("hookTargetArn") and (h.get("targetType") or "AWS_LAMBDA") == "AWS_LAMBDA":
            raise InvalidParameterException(f"{where}.hookTargetArn is required.")
        if (h.get("targetType") or "AWS_LAMBDA") == "AWS_LAMBDA" and not h.get("roleArn"):
            raise InvalidParameterException(f"{where}.roleArn is required.")
        stages = h.get("lifecycleStages") or []
        if not stages:
            raise InvalidParameterException(f"{where}.lifecycleStages must contain at least one lifecycle stage.")
        for s in stages:
            if s not in HOOK_STAGES:
                raise InvalidParameterException(f"{where}.lifecycleStages: {s} is not a valid lifecycle stage; valid values are {', '.join(HOOK_STAGES)}.")


def check_deployment_configuration(dc: dict[str, Any] | None) -> None:
    """The strategy fields alone (ranges, names)."""
    if not dc:
        return
    strategy = dc.get("strategy")
    if strategy is not None and strategy not in STRATEGIES:
        raise InvalidParameterException(f"Invalid deployment strategy: {strategy}. Valid values are {', '.join(STRATEGIES)}.")
    _minutes("bakeTimeInMinutes", dc.get("bakeTimeInMinutes"))
    canary = dc.get("canaryConfiguration") or {}
    _percent("canaryConfiguration.canaryPercent", canary.get("canaryPercent"), 0.1)
    _minutes("canaryConfiguration.canaryBakeTimeInMinutes", canary.get("canaryBakeTimeInMinutes"))
    linear = dc.get("linearConfiguration") or {}
    _percent("linearConfiguration.stepPercent", linear.get("stepPercent"), 3.0)
    _minutes("linearConfiguration.stepBakeTimeInMinutes", linear.get("stepBakeTimeInMinutes"))
    alarms = dc.get("alarms")
    if alarms is not None and alarms.get("enable") and not alarms.get("alarmNames"):
        raise InvalidParameterException("deploymentConfiguration.alarms.alarmNames must contain at least one alarm when alarms are enabled.")
    _hooks(dc.get("lifecycleHooks"))


def _find_rule(elb: Any, arn: str) -> Any:
    for lb in elb.load_balancers.values():
        for listener in lb.listeners.values():
            for rule in listener.rules.values():
                if rule.arn == arn:
                    return rule
    return None


def _role_trusts_ecs(account_id: str, role_arn: str) -> bool:
    from moto.iam.models import iam_backends

    name = role_arn.rsplit("/", 1)[-1]
    try:
        role = iam_backends[account_id]["aws"].get_role(name)
    except Exception:
        return False
    doc = role.assume_role_policy_document
    text = doc if isinstance(doc, str) else json.dumps(doc)
    return "ecs.amazonaws.com" in text


def _check_advanced(elb: Any, account_id: str, i: int, lb: dict[str, Any], strategy: str) -> None:
    adv = lb.get("advancedConfiguration")
    where = f"loadBalancers[{i}].advancedConfiguration"
    if not adv:
        raise InvalidParameterException(f"{where} is required when the deployment strategy is {strategy}.")
    for key in ("alternateTargetGroupArn", "productionListenerRule", "roleArn"):
        if not adv.get(key):
            raise InvalidParameterException(f"{where}.{key} is required when the deployment strategy is {strategy}.")
    alt = adv["alternateTargetGroupArn"]
    if alt == lb.get("targetGroupArn"):
        raise InvalidParameterException(f"{where}.alternateTargetGroupArn must be different from the load balancer's targetGroupArn ({alt}).")
    if alt not in elb.target_groups:
        raise InvalidParameterException(f"{where}.alternateTargetGroupArn: the target group {alt} does not exist.")
    for key in ("productionListenerRule", "testListenerRule"):
        arn = adv.get(key)
        if arn and _find_rule(elb, arn) is None:
            raise InvalidParameterException(f"{where}.{key}: the listener rule {arn} does not exist.")
    if not _role_trusts_ecs(account_id, adv["roleArn"]):
        raise InvalidParameterException(
            "Unable to assume role and validate the listeners configured on your load balancer. "
            f"Please verify that the ECS infrastructure role being passed ({adv['roleArn']}) exists and trusts ecs.amazonaws.com."
        )


def check_service_strategy(
    account_id: str, region: str, dc: dict[str, Any] | None, load_balancers: list[dict[str, Any]] | None, controller: dict[str, Any] | None
) -> None:
    """Everything CreateService / UpdateService checks about the strategy, before any change."""
    from moto.elbv2.models import elbv2_backends

    check_deployment_configuration(dc)
    strategy = strategy_of(dc)
    if strategy not in PROGRESSIVE:
        return
    if (controller or {}).get("type", "ECS") != "ECS":
        raise InvalidParameterException(f"The {strategy} deployment strategy requires the ECS deployment controller.")
    elb = elbv2_backends[account_id][region]
    for i, lb in enumerate(load_balancers or []):
        _check_advanced(elb, account_id, i, lb, strategy)
