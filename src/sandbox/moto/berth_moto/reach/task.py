"""Why a task of the ECS simulation cannot start, by the model (model.py) over moto's state: the
first thing a Fargate task (platform 1.4.0) cannot reach on its way to RUNNING (ECR registry auth
and secrets, then the image, then the awslogs stream), in ECS's own words, ending in the
`i/o timeout` (or `context deadline exceeded`) the agent reports."""
from __future__ import annotations

import hashlib
import re
from typing import Any


from . import model
from .facts import network_facts

ECR = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]+))?$")
NET_HINT = "Check your task network configuration."


def _h(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


def public_ip(region: str, service: str) -> str:
    """A stable public-looking address for a regional AWS endpoint, as the agent's dial error shows it."""
    h = _h(region, service)
    return f"52.{94 + h % 8}.{(h >> 8) % 256}.{(h >> 16) % 254 + 1}"


def place(t: Any) -> dict[str, Any] | None:
    """The task's ENI as the model sees it, or None when the task has no awsvpc subnet."""
    net = t._sim.get("net")
    return net if net and net.get("subnetId") else None


def needs(t: Any) -> dict[str, Any]:
    cdef = t._sim["cdef"]
    refs = [s.get("valueFrom") or "" for s in cdef.get("secrets") or []]
    return {
        "ecrImage": bool(ECR.match(t._sim["image"] or "")),
        "secretsManager": any(":secretsmanager:" in r for r in refs),
        "ssm": any(r and ":secretsmanager:" not in r for r in refs),
        "awslogs": (cdef.get("logConfiguration") or {}).get("logDriver") == "awslogs",
    }


def manifest_url(image: str) -> str:
    m = ECR.match(image)
    if m:
        account, region, repo, tag, digest = m.groups()
        return f"https://{account}.dkr.ecr.{region}.amazonaws.com/v2/{repo}/manifests/{digest or tag or 'latest'}"
    ref, _, tag = image.partition("@")[0].rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "latest")
    first = ref.split("/", 1)[0]
    if "." in first or ":" in first or first == "localhost":
        host, path = first, ref.split("/", 1)[1]
    else:
        host, path = "registry-1.docker.io", ref if "/" in ref else f"library/{ref}"
    return f"https://{host}/v2/{path}/manifests/{tag or 'latest'}"


def _secret_arn(t: Any) -> str:
    for s in t._sim["cdef"].get("secrets") or []:
        ref = s.get("valueFrom") or ""
        if ":secretsmanager:" in ref:
            return ":".join(ref.split(":")[:7])
    return ""


def start_reason(t: Any, failure: dict[str, Any]) -> str:
    """ECS's stoppedReason for a task that cannot reach `failure['service']` on its way to RUNNING."""
    region, step, service = t.region_name, failure["step"], failure["service"]
    image = t._sim["image"]
    if step == "registry-auth":
        return (
            "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: "
            f"There is a connection issue between the task and Amazon ECR. {NET_HINT} RequestError: send request failed caused by: "
            f'Post "https://api.ecr.{region}.amazonaws.com/": dial tcp {public_ip(region, "ecr.api")}:443: i/o timeout'
        )
    if step == "secrets" and service == "secretsmanager":
        return (
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve "
            f"secret from asm: service call has been retried 5 time(s): failed to fetch secret {_secret_arn(t)} from secrets manager: "
            f"RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration."
        )
    if step == "secrets":
        return (
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve "
            "secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context "
            "deadline exceeded. Please check your task network configuration."
        )
    if step == "image-pull" and service == "s3":
        return (
            f"CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: "
            f'Get "https://prod-{region}-starport-layer-bucket.s3.{region}.amazonaws.com/": dial tcp {public_ip(region, "s3")}:443: i/o timeout'
        )
    if step == "image-pull":
        url = manifest_url(image)
        return (
            f"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: failed to do request: "
            f'Head "{url}": dial tcp {public_ip(region, url.split("/")[2])}:443: i/o timeout'
        )
    return (
        "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch "
        f'log stream: RequestError: send request failed caused by: Post "https://logs.{region}.amazonaws.com/": dial tcp '
        f"{public_ip(region, 'logs')}:443: i/o timeout : exit status 1"
    )


def start_failure(t: Any) -> dict[str, Any] | None:
    """{step, service, verdict, reason} of the first thing the task cannot reach, or None."""
    p = place(t)
    if p is None:
        return None
    f = network_facts(t._account_id, t.region_name)
    failure = model.first_start_failure(f, p, needs(t))
    if failure is not None:
        failure["reason"] = start_reason(t, failure)
    return failure
