"""CloudWatch alarms on the load balancer's metrics, evaluated as CloudWatch does (moto never moves an
alarm by itself), so that an alarm on HTTPCode_Target_5XX_Count or TargetResponseTime can stop an ECS
deployment in the sandbox as it would on AWS (deploymentConfiguration.alarms).

Every second, each metric alarm in namespace AWS/ApplicationELB (the metrics alb_metrics.py records)
is evaluated over its last EvaluationPeriods periods of Period seconds (real seconds: requests happen
in real time) on the data points with exactly its dimensions: ALARM when at least DatapointsToAlarm
(default EvaluationPeriods) periods breach the threshold, OK when periods have data and too few
breach. Periods without data are left out (TreatMissingData `missing`); an alarm with no data in any
period keeps its state. Alarms on other namespaces and metric-math alarms are left to SetAlarmState."""
from __future__ import annotations

import json
import threading
import traceback
from datetime import timedelta
from typing import Any

from moto.cloudwatch.models import MetricAggregatedDatum, MetricDatum, cloudwatch_backends
from moto.core.utils import utcnow

from . import LOCK
from .alb_metrics import NAMESPACE
from .ecs_sim.state import live_backends
from .gaps import log

COMPARE = {
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "GreaterThanThreshold": lambda v, t: v > t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


def _stat(points: list[Any], stat: str) -> float | None:
    total, count, lo, hi = 0.0, 0.0, None, None
    for p in points:
        if isinstance(p, MetricAggregatedDatum):
            total, count = total + p.sum, count + p.sample_count
            lo, hi = min(lo, p.min) if lo is not None else p.min, max(hi, p.max) if hi is not None else p.max
        elif isinstance(p, MetricDatum):
            total, count = total + p.value, count + 1
            lo, hi = min(lo, p.value) if lo is not None else p.value, max(hi, p.value) if hi is not None else p.value
    if not count:
        return None
    return {"Sum": total, "SampleCount": count, "Average": total / count, "Minimum": lo, "Maximum": hi}.get(stat)


def _key(dims: list[Any]) -> list[tuple[str, str]]:
    return sorted((d.name or "", d.value or "") for d in dims)


def evaluate(cw: Any, alarm: Any, now: Any) -> None:
    compare = COMPARE.get(alarm.comparison_operator)
    if alarm.namespace != NAMESPACE or alarm.metric_data_queries or compare is None or not alarm.statistic:
        return
    period = timedelta(seconds=int(alarm.period or 60))
    n = int(alarm.evaluation_periods or 1)
    want = _key(alarm.dimensions)
    since = now - period * n
    mine = [p for p in cw.metric_data if p.namespace == NAMESPACE and p.name == alarm.metric_name and p.timestamp >= since and _key(p.dimensions) == want]
    values = []
    for k in range(n):
        end = now - period * k
        v = _stat([p for p in mine if end - period <= p.timestamp < end], alarm.statistic)
        if v is not None:
            values.append(v)
    if not values:
        return
    breaching = sum(1 for v in values if compare(v, float(alarm.threshold)))
    state = "ALARM" if breaching >= int(alarm.datapoints_to_alarm or n) else "OK"
    if state != alarm.state_value:
        reason = f"Threshold Crossed: {breaching} out of the last {len(values)} datapoints {values} were {'' if state == 'ALARM' else 'not '}{alarm.comparison_operator} the threshold ({alarm.threshold})."
        alarm.update_state(reason, json.dumps({"version": "1.0", "recentDatapoints": values, "threshold": alarm.threshold}), state)


def tick() -> None:
    now = utcnow()
    for cw in live_backends(cloudwatch_backends):
        for alarm in list(cw.alarms.values()):
            evaluate(cw, alarm, now)


def loop(stop: threading.Event) -> None:
    while not stop.wait(1.0):
        try:
            with LOCK:
                tick()
        except Exception:
            log("alarm evaluation error:\n" + traceback.format_exc())


def install() -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=loop, args=(stop,), name="berth-alarm-evaluation", daemon=True).start()
    return stop
