"""
The reachability model, the Python side of berth's one model (src/network/ in TypeScript: the
same rules, the same facts and verdict shapes; test/network/conformance.json runs against both).

Facts (dict): region, vpcs, subnets, routeTables, internetGateways, natGateways, endpoints,
securityGroups, as src/network/types.ts describes them. A verdict: {ok, via, path, blockers:
[{problem, ids}]}.

AWS services: an interface endpoint of the service with private DNS in the task's VPC takes the
traffic; for S3, a gateway endpoint on the task subnet's route table does; otherwise the subnet's
effective route table (explicit association, else the VPC's main table) must send 0.0.0.0/0 to an
attached internet gateway (with a public IP on the task) or an available NAT gateway whose own
subnet's table sends 0.0.0.0/0 to an attached internet gateway. The task's groups must allow
egress on 443 (to 0.0.0.0/0 on the internet way, to the endpoint's groups or subnets for an
interface endpoint, whose groups must allow 443 in from the task).
Peers in the VPC (a database, a cache): egress on the port from the task's groups to the peer,
ingress on the peer's groups from the task, by group reference or a CIDR covering every address.
"""
from __future__ import annotations

import ipaddress
from typing import Any

HTTPS = 443
Facts = dict[str, Any]


def _net(cidr: str) -> Any:
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except (ValueError, AttributeError):
        return None


def contains(outer: str, inner: str) -> bool:
    o, i = _net(outer), _net(inner)
    if o is None or i is None or o.version != 4 or i.version != 4:
        return False
    return o.prefixlen <= i.prefixlen and i.network_address in o


def _covers_port(r: dict[str, Any], port: int) -> bool:
    p = str(r.get("protocol", "-1")).lower()
    if p in ("-1", "all"):
        return True
    if p not in ("tcp", "6"):
        return False
    lo = r.get("fromPort")
    hi = r.get("toPort")
    lo = 0 if lo is None else lo
    hi = 65535 if hi is None else hi
    return (lo == -1 and hi == -1) or lo <= port <= hi


def _matches(r: dict[str, Any], peer: dict[str, Any]) -> bool:
    if any(g in (peer.get("groupIds") or []) for g in r.get("groupIds") or []):
        return True
    if any(p in (peer.get("prefixListIds") or []) for p in r.get("prefixListIds") or []):
        return True
    cidrs = peer.get("cidrs") or []
    # 0.0.0.0/0 covers any peer, even one whose addresses are not known.
    return any(c == "0.0.0.0/0" or (bool(cidrs) and all(contains(c, x) for x in cidrs)) for c in r.get("cidrs") or [])


def allowed_by(f: Facts, group_ids: list[str], direction: str, port: int, peer: dict[str, Any]) -> str | None:
    for gid in group_ids:
        g = next((x for x in f["securityGroups"] if x["id"] == gid), None)
        if g and any(_covers_port(r, port) and _matches(r, peer) for r in g.get(direction) or []):
            return gid
    return None


def _subnet(f: Facts, sid: str) -> dict[str, Any] | None:
    return next((s for s in f["subnets"] if s["id"] == sid), None)


def _cidrs_of(f: Facts, subnet_ids: list[str] | None) -> list[str]:
    return [s["cidr"] for s in (_subnet(f, i) for i in subnet_ids or []) if s and s.get("cidr")]


def effective_table(f: Facts, subnet_id: str) -> tuple[dict[str, Any] | None, bool]:
    for t in f["routeTables"]:
        if subnet_id in (t.get("subnetIds") or []):
            return t, True
    s = _subnet(f, subnet_id)
    vpc = s["vpcId"] if s else None
    return next((t for t in f["routeTables"] if t.get("main") and t["vpcId"] == vpc), None), False


def _default_route(t: dict[str, Any] | None) -> dict[str, Any] | None:
    return next((r for r in (t or {}).get("routes") or [] if r["destination"] == "0.0.0.0/0"), None)


def _igw_attached(f: Facts, igw: str, vpc: str | None) -> bool:
    return any(g["id"] == igw and (vpc is None or vpc in g.get("vpcIds") or []) for g in f["internetGateways"])


def _b(problem: str, ids: list[str]) -> dict[str, Any]:
    return {"problem": problem, "ids": ids}


def internet_way(f: Facts, subnet_id: str, public_ip: bool) -> tuple[str | None, list[str], list[dict[str, Any]]]:
    s = _subnet(f, subnet_id)
    vpc = s["vpcId"] if s else None
    table, _ = effective_table(f, subnet_id)
    if table is None:
        return None, [subnet_id], [_b("no-route-table", [subnet_id])]
    path = [subnet_id, table["id"]]
    route = _default_route(table)
    if route is None:
        return None, path, [_b("no-default-route", [subnet_id, table["id"]])]
    target = route["target"]
    if route.get("state") == "blackhole":
        return None, path, [_b("blackhole", [table["id"], target])]
    if target.startswith("igw-"):
        if not _igw_attached(f, target, vpc):
            return None, path, [_b("igw-detached", [table["id"], target])]
        return "internet-gateway", path + [target], [] if public_ip else [_b("no-public-ip", [subnet_id])]
    if target.startswith("nat-"):
        return _nat_way(f, table, target, path)
    return None, path, [_b("unmodelled-target", [table["id"], target])]


def _nat_way(f: Facts, table: dict[str, Any], nat_id: str, path: list[str]) -> tuple[str | None, list[str], list[dict[str, Any]]]:
    nat = next((n for n in f["natGateways"] if n["id"] == nat_id), None)
    if nat is None:
        return None, path, [_b("nat-missing", [table["id"], nat_id])]
    if (nat.get("state") or "available") != "available":
        return "nat-gateway", path, [_b("nat-unavailable", [nat_id])]
    # The NAT gateway's own traffic leaves by its subnet's table: 0.0.0.0/0 to an attached internet gateway.
    own, _ = effective_table(f, nat["subnetId"])
    nat_path = path + [nat_id] + ([own["id"]] if own else [])
    out = _default_route(own)
    s = _subnet(f, nat["subnetId"])
    ok = (
        nat.get("public", True) is not False
        and out is not None
        and out.get("state") != "blackhole"
        and out["target"].startswith("igw-")
        and _igw_attached(f, out["target"], s["vpcId"] if s else None)
    )
    if not ok:
        return "nat-gateway", nat_path, [_b("nat-no-internet", [nat_id, own["id"] if own else nat["subnetId"]])]
    return "nat-gateway", nat_path + [out["target"]], []


def endpoint_service(region: str, service: str) -> str:
    return f"com.amazonaws.{region}.{service}"


def _verdict(via: str | None, path: list[str], blockers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"ok": not blockers, "via": via, "path": path, "blockers": blockers}


def _available(ep: dict[str, Any]) -> bool:
    return (ep.get("state") or "available").lower() == "available"


def _via_interface(f: Facts, task: dict[str, Any], ep: dict[str, Any]) -> dict[str, Any]:
    blockers = [] if _available(ep) else [_b("endpoint-unavailable", [ep["id"]])]
    groups = ep.get("securityGroupIds") or []
    sgs = task.get("securityGroupIds") or []
    if not allowed_by(f, sgs, "egress", HTTPS, {"groupIds": groups, "cidrs": _cidrs_of(f, ep.get("subnetIds"))}):
        blockers.append(_b("sg-egress", list(sgs)))
    if not allowed_by(f, groups, "ingress", HTTPS, {"groupIds": sgs, "cidrs": _cidrs_of(f, [task["subnetId"]])}):
        blockers.append(_b("sg-ingress", list(groups)))
    return _verdict("interface-endpoint", [task["subnetId"], ep["id"]], blockers)


def _via_gateway(f: Facts, task: dict[str, Any], name: str) -> dict[str, Any] | None:
    table, _ = effective_table(f, task["subnetId"])
    if table is None:
        return None
    ep = next(
        (
            e
            for e in f["endpoints"]
            if e["type"] == "Gateway"
            and e["service"] == name
            and (table["id"] in (e.get("routeTableIds") or []) or any(r["target"] == e["id"] for r in table["routes"]))
        ),
        None,
    )
    if ep is None:
        return None
    pls = [r["destination"] for r in table["routes"] if r["target"] == ep["id"] and r["destination"].startswith("pl-")]
    blockers = [] if _available(ep) else [_b("endpoint-unavailable", [ep["id"]])]
    sgs = task.get("securityGroupIds") or []
    if not allowed_by(f, sgs, "egress", HTTPS, {"cidrs": ["0.0.0.0/0"], "prefixListIds": pls}):
        blockers.append(_b("sg-egress", list(sgs)))
    return _verdict("gateway-endpoint", [task["subnetId"], table["id"], ep["id"]], blockers)


def reach_service(f: Facts, task: dict[str, Any], service: str) -> dict[str, Any]:
    """Can a task placed so ({subnetId, securityGroupIds, publicIp}) reach `service` on 443?"""
    s = _subnet(f, task["subnetId"])
    if s is None:
        return _verdict(None, [task["subnetId"]], [_b("no-subnet", [task["subnetId"]])])
    name = endpoint_service(f["region"], service)
    ep = next(
        (e for e in f["endpoints"] if e["vpcId"] == s["vpcId"] and e["service"] == name and e["type"] == "Interface" and e.get("privateDns") is not False),
        None,
    )
    if ep is not None:
        return _via_interface(f, task, ep)
    if service == "s3":
        gw = _via_gateway(f, task, name)
        if gw is not None:
            return gw
    via, path, blockers = internet_way(f, task["subnetId"], bool(task.get("publicIp")))
    sgs = task.get("securityGroupIds") or []
    if not allowed_by(f, sgs, "egress", HTTPS, {"cidrs": ["0.0.0.0/0"]}):
        blockers = blockers + [_b("sg-egress", list(sgs))]
    return _verdict(via, path, blockers)


def reach_peer(f: Facts, src: dict[str, Any], dst: dict[str, Any]) -> dict[str, Any]:
    """Can a task in src ({subnetIds, securityGroupIds}) open tcp dst.port to dst ({subnetIds, cidrs, securityGroupIds, port})?"""
    vpc_of = lambda sid: (_subnet(f, sid) or {}).get("vpcId")  # noqa: E731
    src_vpcs = {vpc_of(i) for i in src["subnetIds"]}
    path = list(dict.fromkeys(list(src["subnetIds"]) + list(dst.get("subnetIds") or [])))
    foreign = [i for i in dst.get("subnetIds") or [] if vpc_of(i) not in src_vpcs]
    if foreign:
        return _verdict("local", path, [_b("other-vpc", foreign)])
    dst_cidrs = dst.get("cidrs") or _cidrs_of(f, dst.get("subnetIds"))
    blockers = []
    if not allowed_by(f, src["securityGroupIds"], "egress", dst["port"], {"groupIds": dst["securityGroupIds"], "cidrs": dst_cidrs}):
        blockers.append(_b("sg-egress", list(src["securityGroupIds"])))
    if not allowed_by(f, dst["securityGroupIds"], "ingress", dst["port"], {"groupIds": src["securityGroupIds"], "cidrs": _cidrs_of(f, src["subnetIds"])}):
        blockers.append(_b("sg-ingress", list(dst["securityGroupIds"])))
    return _verdict("local", path, blockers)


def start_steps(needs: dict[str, Any]) -> list[tuple[str, str]]:
    """Fargate 1.4.0's order: registry auth and secrets, then the image, then the awslogs stream."""
    out = []
    if needs.get("ecrImage"):
        out.append(("registry-auth", "ecr.api"))
    if needs.get("secretsManager"):
        out.append(("secrets", "secretsmanager"))
    if needs.get("ssm"):
        out.append(("secrets", "ssm"))
    out += [("image-pull", "ecr.dkr"), ("image-pull", "s3")] if needs.get("ecrImage") else [("image-pull", "internet")]
    if needs.get("awslogs"):
        out.append(("logs", "logs"))
    return out


def first_start_failure(f: Facts, task: dict[str, Any], needs: dict[str, Any]) -> dict[str, Any] | None:
    for step, service in start_steps(needs):
        # An image outside ECR comes over the internet: the same way out as S3 without its gateway endpoint.
        v = reach_service(dict(f, endpoints=[]), task, "s3") if service == "internet" else reach_service(f, task, service)
        if not v["ok"]:
            return {"step": step, "service": service, "verdict": v}
    return None
