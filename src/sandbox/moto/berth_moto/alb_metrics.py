"""The load balancer's CloudWatch metrics for requests through the public stand-in, in moto's
CloudWatch, namespace AWS/ApplicationELB, with the ALB's dimensions:

- per target group, dimensions {TargetGroup=targetgroup/<name>/<id>, LoadBalancer=app/<name>/<id>}:
  RequestCount, HTTPCode_Target_2XX_Count / 3XX / 4XX / 5XX, TargetResponseTime (seconds);
- per load balancer, {LoadBalancer=app/<name>/<id>}: the same, and HTTPCode_ELB_5XX_Count for the
  load balancer's own 503 (no healthy target).

As the ALB does, a count is published only when it is not zero. Data points are aggregated per
second (one statistic set per metric, dimension set and second: Sum, SampleCount, Minimum,
Maximum), so GetMetricData / GetMetricStatistics answer Sum, Average, SampleCount, Minimum and
Maximum for any period. Two of moto's CloudWatch gaps are mended for these queries: CloudWatch
matches a query's dimensions exactly (a {LoadBalancer} query does not count the {TargetGroup,
LoadBalancer} data points), moto matched a subset in GetMetricStatistics; and moto's dimension
ordering (used to compare dimension sets in GetMetricData) compared a value with a name, so a query
listing the dimensions in another order than the data point found nothing."""
from __future__ import annotations

from typing import Any

from moto.cloudwatch.models import CloudWatchBackend, Dimension, MetricAggregatedDatum, cloudwatch_backends
from moto.core.utils import utcnow

NAMESPACE = "AWS/ApplicationELB"
# (account, region, metric, dimensions, second) -> the datum of that second
_open: dict[tuple[Any, ...], MetricAggregatedDatum] = {}
_orig_get_metric_statistics = CloudWatchBackend.get_metric_statistics


def lb_dimension(lb_arn: str) -> str:
    return lb_arn.split(":loadbalancer/", 1)[-1]


def tg_dimension(tg_arn: str) -> str:
    return tg_arn.rsplit(":", 1)[-1]


def _put(account: str, region: str, name: str, dims: list[dict[str, str]], value: float) -> None:
    now = utcnow().replace(microsecond=0)  # naive UTC, as moto keeps every timestamp
    key = (account, region, name, tuple((d["Name"], d["Value"]) for d in dims), now)
    datum = _open.get(key)
    if datum is not None:
        datum.sum += value
        datum.sample_count += 1
        datum.min = min(datum.min, value)
        datum.max = max(datum.max, value)
        return
    for k in [k for k in _open if k[4] < now]:
        del _open[k]
    datum = MetricAggregatedDatum(NAMESPACE, name, value, value, 1, value, dims, now, "Count" if name != "TargetResponseTime" else "Seconds")
    cloudwatch_backends[account][region].metric_data.append(datum)
    _open[key] = datum


def record(lb: Any, tg_arn: str | None, status: int, seconds: float, from_target: bool) -> None:
    """One request the load balancer answered (from a target of tg_arn, or itself)."""
    parts = lb.arn.split(":")
    region, account = parts[3], parts[4]
    lb_dims = [{"Name": "LoadBalancer", "Value": lb_dimension(lb.arn)}]
    sets = [lb_dims]
    if tg_arn and from_target:
        sets.append([{"Name": "TargetGroup", "Value": tg_dimension(tg_arn)}, *lb_dims])
    for dims in sets:
        _put(account, region, "RequestCount", dims, 1.0)
        if from_target:
            _put(account, region, f"HTTPCode_Target_{status // 100}XX_Count", dims, 1.0)
            _put(account, region, "TargetResponseTime", dims, seconds)
    if not from_target and status >= 500:
        _put(account, region, "HTTPCode_ELB_5XX_Count", lb_dims, 1.0)


def _get_metric_statistics(self: Any, namespace: str, metric_name: str, start_time: Any, end_time: Any, period: int, stats: list[str], dimensions: list[dict[str, str]], unit: str | None = None) -> Any:
    want = sorted(Dimension(d["Name"], d.get("Value")) for d in dimensions or [])
    every = self.get_all_metrics
    self.get_all_metrics = lambda: [md for md in every() if md.namespace != NAMESPACE or sorted(md.dimensions) == want]
    try:
        return _orig_get_metric_statistics(self, namespace, metric_name, start_time, end_time, period, stats, dimensions, unit)
    finally:
        del self.get_all_metrics


def _dimension_lt(self: Dimension, other: Dimension) -> bool:
    return (self.name or "", self.value or "") < (other.name or "", other.value or "")


def install() -> None:
    Dimension.__lt__ = _dimension_lt  # type: ignore[method-assign]
    CloudWatchBackend.get_metric_statistics = _get_metric_statistics  # type: ignore[method-assign]
