"""
DNS validation of ACM certificates as ACM does it, with the emulator's hosted zones standing in for
public DNS.

moto issues every requested certificate after a fixed wait (MOTO_ACM_VALIDATION_WAIT), whatever DNS
says, so a certificate stuck in PENDING_VALIDATION (the runbook's incident) cannot happen. Here a
certificate requested with ValidationMethod=DNS is ISSUED only once, for every name it covers,
  - the public hosted zone that holds the name (the longest zone name the name ends with) has the
    validation CNAME ACM asks for, with ACM's value, and
  - that zone is delegated: its own NS record set (what the parent would answer in the sandbox)
    names at least one of the zone's name servers.
Until then it stays PENDING_VALIDATION, as long as it takes: the fix (UPSERT the CNAME, restore the
NS records) issues it on the next read. Issued certificates stay issued, as on AWS. E-mail-validated
and imported certificates keep moto's behaviour.

A ListCertificates/DescribeCertificate answers from this rule; nothing runs in the background.
"""
from __future__ import annotations

import json
from typing import Any

from moto.acm.models import CertBundle
from moto.acm.responses import AWSCertificateManagerResponse
from moto.core.utils import utcnow
from moto.route53.models import route53_backends
from moto.utilities.utils import get_partition

from .gaps import log

_orig_check = CertBundle.check
_orig_request = AWSCertificateManagerResponse.request_certificate


def _norm(name: Any) -> str:
    return str(name or "").lower().rstrip(".")


def _values(rrset: Any) -> set[str]:
    out: set[str] = set()
    for r in rrset.records or []:
        out.add(_norm(r.get("Value") if isinstance(r, dict) else r))
    return out


def _zone_for(backend: Any, name: str) -> Any:
    best = None
    for zone in backend.zones.values():
        if zone.private_zone:
            continue
        z = _norm(zone.name)
        if (name == z or name.endswith("." + z)) and (best is None or len(z) > len(_norm(best.name))):
            best = zone
    return best


def blockers(cert: CertBundle) -> list[str]:
    """Why the certificate cannot validate yet (empty: it can)."""
    _, _, _, region, account, _ = cert.arn.split(":", 5)
    backend = route53_backends[account][get_partition(region)]
    out: list[str] = []
    for option in cert.describe()["Certificate"].get("DomainValidationOptions", []):
        rr = option["ResourceRecord"]
        domain = _norm(option["DomainName"]).removeprefix("*.")
        zone = _zone_for(backend, domain)
        if zone is None:
            out.append(f"no public hosted zone holds {domain}")
            continue
        zname = _norm(zone.name)
        cname = next((s for s in zone.rrsets if _norm(s.name) == _norm(rr["Name"]) and s.type == rr["Type"]), None)
        if cname is None or _norm(rr["Value"]) not in _values(cname):
            out.append(f"{rr['Name']} {rr['Type']} is not in zone {zname}")
        ns = next((s for s in zone.rrsets if _norm(s.name) == zname and s.type == "NS"), None)
        own = {_norm(x) for x in (zone.delegation_set.name_servers if zone.delegation_set else [])}
        if ns is None or not (_values(ns) & own):
            out.append(f"{zname} is not delegated to its name servers")
    return out


def _check(self: CertBundle) -> None:
    if getattr(self, "berth_validation", None) != "DNS" or self.type != "AMAZON_ISSUED" or self.status != "PENDING_VALIDATION":
        _orig_check(self)
        return
    if self._not_valid_after(self._cert) <= utcnow():
        self.status = "EXPIRED"
        return
    why = blockers(self)
    if not why:
        self.status = "ISSUED"
        log(f"ACM {self.arn} ISSUED (DNS validation records found)")
    elif getattr(self, "berth_reported", None) != why:
        self.berth_reported = why
        log(f"ACM {self.arn} PENDING_VALIDATION: {'; '.join(why)}")


def _request_certificate(self: AWSCertificateManagerResponse) -> Any:
    out = _orig_request(self)
    body = out[0] if isinstance(out, tuple) else out
    try:
        arn = json.loads(body).get("CertificateArn")
    except (TypeError, ValueError):
        return out
    if arn and arn in self.acm_backend._certificates:
        cert = self.acm_backend._certificates[arn]
        # An idempotent repeat returns the first request's certificate: keep its method.
        if not hasattr(cert, "berth_validation"):
            cert.berth_validation = (self._get_param("ValidationMethod") or "EMAIL").upper()
    return out


def install() -> None:
    CertBundle.check = _check  # type: ignore[method-assign]
    AWSCertificateManagerResponse.request_certificate = _request_certificate  # type: ignore[method-assign]
