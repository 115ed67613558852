"""Traffic between a service's two target groups, as ECS moves it for BLUE_GREEN, CANARY and LINEAR
deployments: by re-weighting the forward action of the production (and test) listener rule in
moto's ELBv2 state, through ModifyRule as ECS does (so DescribeRules shows the weights), and which of
the two target groups is production now (the one the production rule gives the most weight: the
roles swap after every successful deployment, as on ECS).

Weights are whole percents (100/0, 90/10) when the share is whole, else tenths of a percent
(2.5 % -> 25/975): ELB weights are integers from 0 to 999."""
from __future__ import annotations

import copy
from typing import Any

from moto.elbv2.models import elbv2_backends


def elb_of(svc: Any) -> Any:
    return elbv2_backends[svc._account_id][svc.region_name]


def find_rule(elb: Any, arn: str | None) -> Any:
    if not arn:
        return None
    for lb in elb.load_balancers.values():
        for listener in lb.listeners.values():
            for rule in listener.rules.values():
                if rule.arn == arn:
                    return rule
    return None


def forward_weights(rule: Any) -> dict[str, int]:
    """Target group ARN -> weight of the rule's forward action ({} when it has none)."""
    for action in rule.actions or []:
        data = getattr(action, "data", {}) or {}
        if (data.get("Type") or getattr(action, "type", None)) != "forward":
            continue
        groups = (data.get("ForwardConfig") or {}).get("TargetGroups") or []
        if groups:
            return {g["TargetGroupArn"]: int(g.get("Weight", 1) or 0) for g in groups if g.get("TargetGroupArn")}
        if data.get("TargetGroupArn"):
            return {data["TargetGroupArn"]: 1}
    return {}


def pair(lb: dict[str, Any]) -> tuple[str | None, str | None]:
    """(targetGroupArn, alternateTargetGroupArn) of a service load balancer."""
    adv = lb.get("advancedConfiguration") or {}
    return lb.get("targetGroupArn"), adv.get("alternateTargetGroupArn")


def production_tg(svc: Any, lb: dict[str, Any]) -> str | None:
    """The target group that takes production traffic now: of the pair, the one the production
    listener rule weighs most (the service's targetGroupArn on a tie or without advancedConfiguration)."""
    primary, alternate = pair(lb)
    adv = lb.get("advancedConfiguration") or {}
    rule = find_rule(elb_of(svc), adv.get("productionListenerRule")) if alternate else None
    if rule is None:
        return primary
    w = forward_weights(rule)
    if w.get(alternate, 0) > w.get(primary, 0):
        return alternate
    return primary


def _weights(to_pct: float) -> tuple[int, int]:
    """(weight of the source target group, weight of the target one) for a share in percent."""
    if abs(to_pct - round(to_pct)) < 1e-9:
        t = int(round(to_pct))
        return 100 - t, t
    t = int(round(to_pct * 10))
    return 1000 - t, t


def set_split(svc: Any, rule_arn: str | None, source_tg: str, target_tg: str, to_pct: float) -> bool:
    """Weight the rule's forward action `to_pct` % to target_tg, the rest to source_tg (ModifyRule:
    the other actions and the stickiness configuration kept). False when the rule is gone."""
    elb = elb_of(svc)
    rule = find_rule(elb, rule_arn)
    if rule is None:
        return False
    src_w, tgt_w = _weights(to_pct)
    actions = []
    for action in rule.actions or []:
        data = copy.deepcopy(getattr(action, "data", {}) or {})
        if (data.get("Type") or getattr(action, "type", None)) == "forward":
            sticky = (data.get("ForwardConfig") or {}).get("TargetGroupStickinessConfig") or {"Enabled": False}
            data.pop("TargetGroupArn", None)
            data["ForwardConfig"] = {
                "TargetGroups": [{"TargetGroupArn": source_tg, "Weight": src_w}, {"TargetGroupArn": target_tg, "Weight": tgt_w}],
                "TargetGroupStickinessConfig": sticky,
            }
        actions.append(data)
    elb.modify_rule(rule.arn, [], actions)
    link_load_balancer(elb, rule, [source_tg, target_tg])
    return True


def link_load_balancer(elb: Any, rule: Any, tg_arns: list[str]) -> None:
    """A target group a rule forwards to belongs to the rule's load balancer (DescribeTargetGroups)."""
    for lb in elb.load_balancers.values():
        if any(li.arn == rule.listener_arn for li in lb.listeners.values()):
            for arn in tg_arns:
                tg = elb.target_groups.get(arn)
                if tg is not None and lb.arn not in tg.load_balancer_arns:
                    tg.load_balancer_arns.append(lb.arn)
