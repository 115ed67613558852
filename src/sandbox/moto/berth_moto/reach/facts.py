"""The model's facts (model.py, src/network/types.ts) read from moto's EC2 state of one account
and region: subnets, route tables and their associations, internet and NAT gateways, VPC endpoints
and security groups. Called under LOCK."""
from __future__ import annotations

from typing import Any

from moto.ec2 import ec2_backends


def _rule(r: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"protocol": str(r.ip_protocol or "-1"), "fromPort": r.from_port, "toPort": r.to_port}
    cidr = (r.ip_range or {}).get("CidrIp")
    group = (r.source_group or {}).get("GroupId")
    out["cidrs"] = [cidr] if cidr else []
    out["groupIds"] = [group] if group else []
    out["prefixListIds"] = [r.prefix_list_id] if r.prefix_list_id else []
    return out


def _route(r: Any) -> dict[str, Any] | None:
    dest = r.destination_cidr_block or r.destination_prefix_list_id
    target = (
        r.nat_gateway_id
        or r.gateway_id
        or r.transit_gateway_id
        or r.network_interface_id
        or r.instance_id
        or r.vpc_peering_connection_id
        or r.carrier_gateway_id
    )
    if not dest or not target:
        return None
    return {"destination": dest, "target": target, "state": "active"}


def _route_table(t: Any) -> dict[str, Any]:
    routes = [x for x in (_route(r) for r in t.routes) if x]
    subnets = [s for s in t._associations.values() if str(s).startswith("subnet-")]
    return {"id": t.id, "vpcId": t.vpc_id, "main": t.main_association_id is not None, "subnetIds": subnets, "routes": routes}


def _endpoint(e: Any) -> dict[str, Any]:
    kind = "Gateway" if str(e.vpc_endpoint_type or "").lower() == "gateway" else "Interface"
    return {
        "id": e.id,
        "vpcId": e.vpc_id,
        "service": e.service_name,
        "type": kind,
        "state": e.state,
        "privateDns": bool(e.private_dns_enabled) if e.private_dns_enabled is not None else kind == "Interface",
        "subnetIds": list(e.subnet_ids or []),
        "securityGroupIds": list(e.security_group_ids or []),
        "routeTableIds": list(e.route_table_ids or []),
    }


def _group(g: Any) -> dict[str, Any]:
    return {"id": g.id, "vpcId": g.vpc_id, "ingress": [_rule(r) for r in g.ingress_rules], "egress": [_rule(r) for r in g.egress_rules]}


def network_facts(account_id: str, region: str) -> dict[str, Any]:
    ec2 = ec2_backends[account_id][region]
    return {
        "region": region,
        "vpcs": [{"id": v.id, "cidr": v.cidr_block} for v in ec2.vpcs.values()],
        "subnets": [{"id": s.id, "vpcId": s.vpc_id, "cidr": s.cidr_block} for per_az in ec2.subnets.values() for s in per_az.values()],
        "routeTables": [_route_table(t) for t in ec2.route_tables.values()],
        "internetGateways": [{"id": g.id, "vpcIds": [g.vpc.id] if g.vpc else []} for g in ec2.internet_gateways.values()],
        "natGateways": [
            {"id": n.id, "subnetId": n.subnet_id, "state": n.state, "public": n.connectivity_type != "private"}
            for n in ec2.nat_gateways.values()
            if n.state != "deleted"
        ],
        "endpoints": [_endpoint(e) for e in ec2.vpc_end_points.values() if str(e.state).lower() != "deleted"],
        "securityGroups": [_group(g) for per_vpc in ec2.groups.values() for g in per_vpc.values()],
    }
