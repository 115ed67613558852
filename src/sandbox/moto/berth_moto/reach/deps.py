"""The databases and caches a task's configuration points at, and the ones the security groups
keep it from.

A dependency is an Aurora/RDS cluster (its writer or reader endpoint) or an ElastiCache
replication group (primary, reader or configuration endpoint) of the emulator whose host name
appears in the app container's environment values, or in the values of the Secrets Manager secrets
and SSM parameters it reads. Each is judged by the model's peer rule (model.reach_peer): egress on
its port from the task's groups, ingress on its groups from the task.
"""
from __future__ import annotations

import hashlib
import ipaddress
import json
from typing import Any

from moto.elasticache.models import elasticache_backends
from moto.rds.models import rds_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.ssm.models import ssm_backends

from . import model
from .facts import network_facts


def _secret_values(t: Any, ref: str) -> list[str]:
    try:
        if ":secretsmanager:" in ref:
            parts = ref.split(":")
            sm = secretsmanager_backends[parts[4]][parts[3]]
            raw = sm.get_secret_value(":".join(parts[:7]), None, None).get("SecretString") or ""
        else:
            name = ref.split(":parameter", 1)[1] if ref.startswith("arn:") else ref
            raw = ssm_backends[t._account_id][t.region_name].get_parameter(name).value
    except Exception:
        return []
    try:
        doc = json.loads(raw)
    except ValueError:
        return [raw]
    return [str(v) for v in doc.values()] if isinstance(doc, dict) else [raw]


def config_strings(t: Any) -> list[str]:
    cdef = t._sim["cdef"]
    out = [str(e.get("value") or "") for e in cdef.get("environment") or []]
    for s in cdef.get("secrets") or []:
        out += _secret_values(t, s.get("valueFrom") or "")
    return [s.lower() for s in out if s]


def _rds(t: Any) -> list[dict[str, Any]]:
    rds = rds_backends[t._account_id][t.region_name]
    out = []
    for c in list(rds.clusters.values()):
        group = rds.subnet_groups.get(c.db_subnet_group_name) if c.db_subnet_group_name else None
        subnets = [s.id for s in getattr(group, "_subnets", None) or []]
        kind = "mysql" if "mysql" in str(c.engine) else "postgres"
        for host in (c.endpoint, c.reader_endpoint):
            out.append({"kind": kind, "host": host, "port": int(c.port), "subnetIds": subnets, "securityGroupIds": list(c.vpc_security_group_ids or [])})
    return out


def _redis(t: Any) -> list[dict[str, Any]]:
    ec = elasticache_backends[t._account_id][t.region_name]
    out = []
    for rg in list(ec.replication_groups.values()):
        group = ec.cache_subnet_groups.get(rg.cache_subnet_group_name or "")
        subnets = list(getattr(group, "subnet_ids", None) or [])
        hosts = [(getattr(rg, "configuration_endpoint", None) or {}).get("address")]
        for ng in getattr(rg, "node_groups", None) or []:
            hosts += [ng.get("primary_endpoint_address"), ng.get("reader_endpoint_address")]
        for host in hosts:
            if host:
                out.append({"kind": "redis", "host": host, "port": int(rg.port or 6379), "subnetIds": subnets, "securityGroupIds": list(rg.security_group_ids or [])})
    return out


def address(dep: dict[str, Any], facts: dict[str, Any]) -> str:
    """A stable private address for the endpoint, in its first subnet."""
    cidr = next((s["cidr"] for s in facts["subnets"] if dep["subnetIds"] and s["id"] == dep["subnetIds"][0]), "10.0.100.0/24")
    hosts = list(ipaddress.ip_network(cidr, strict=False).hosts())
    h = int(hashlib.sha256(dep["host"].encode()).hexdigest()[:8], 16)
    return str(hosts[4 + h % max(1, len(hosts) - 5)]) if len(hosts) > 5 else str(hosts[0])


def blocked(t: Any) -> list[dict[str, Any]]:
    """The dependencies in the task's configuration it cannot open: each with its verdict and address."""
    net = t._sim.get("net")
    if not net or not net.get("subnetId"):
        return []
    strings = config_strings(t)
    if not strings:
        return []
    deps = [d for d in _rds(t) + _redis(t) if any(d["host"].lower() in s for s in strings)]
    if not deps:
        return []
    facts = network_facts(t._account_id, t.region_name)
    src = {"subnetIds": [net["subnetId"]], "securityGroupIds": net.get("securityGroupIds") or []}
    out = []
    for d in deps:
        v = model.reach_peer(facts, src, {"subnetIds": d["subnetIds"], "securityGroupIds": d["securityGroupIds"], "port": d["port"]})
        if not v["ok"]:
            out.append(dict(d, verdict=v, ip=address(d, facts)))
    return out


def timeout_lines(dep: dict[str, Any]) -> list[str]:
    """What a Python app (SQLAlchemy + psycopg2 / PyMySQL, redis-py) logs when its connection times out."""
    host, ip, port = dep["host"], dep["ip"], dep["port"]
    if dep["kind"] == "postgres":
        return [
            f'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "{host}" ({ip}), port {port} failed: Connection timed out',
            "\tIs the server running on that host and accepting TCP/IP connections?",
        ]
    if dep["kind"] == "mysql":
        return [f"sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (2003, \"Can't connect to MySQL server on '{host}' (timed out)\")"]
    return [f"cache unavailable: cannot connect to Redis at {host}:{port}", "redis.exceptions.TimeoutError: Timeout connecting to server"]
