"""Why a task cannot start, the way ECS says it: ECR, Secrets Manager, SSM or CloudWatch Logs out
of the task's network reach (reach/: routes, NAT gateways, VPC endpoints, security groups), an
image that cannot be pulled, another CPU architecture than the task definition's, a secret or SSM
parameter (or JSON key) that does not exist, a log group that does not exist."""
from __future__ import annotations

import json
import re
import uuid
from typing import Any

from moto.ecr.models import ecr_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.ssm.models import ssm_backends

from ..reach.task import start_failure
from ..settings import REACH
from .logs import log_target
from .state import SimTask

ECR_IMAGE = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]+))?$")


def ecr_image(image: str) -> tuple[str, Any] | None:
    """('found', Image) / ('missing', None) for an image in moto's ECR; None when ECR cannot tell
    (not an ECR URI, or a repository with no images: nothing is ever pushed in a plain sandbox)."""
    m = ECR_IMAGE.match(image or "")
    if not m:
        return None
    account, region, repo_name, tag, digest = m.groups()
    backend = ecr_backends[account][region]
    repo = backend.repositories.get(repo_name)
    if repo is None or not repo.images:
        return None
    tag = tag or ("latest" if not digest else None)
    for img in repo.images:
        if (tag and tag in (img.image_tags or [])) or (digest and img.image_digest == digest):
            return "found", img
    return "missing", None


def manifest_arch(img: Any, wanted: str) -> tuple[str, str | None]:
    """('ok'|'no-platform'|'mismatch', architecture) from an ECR image manifest."""
    try:
        man = json.loads(img.image_manifest)
    except Exception:
        return "ok", None
    if isinstance(man.get("manifests"), list):
        archs = [(m.get("platform") or {}).get("architecture") for m in man["manifests"]]
        return ("ok" if wanted in archs else "no-platform"), ",".join(a for a in archs if a)
    arch = man.get("architecture") or ((man.get("config") or {}).get("platform") or {}).get("architecture")
    if not arch:
        ann = man.get("annotations") or {}
        arch = ann.get("org.opencontainers.image.architecture") or ann.get("architecture")
    if arch and arch != wanted:
        return "mismatch", arch
    return "ok", arch


def secret_problem(t: SimTask) -> str | None:
    """The ResourceInitializationError ECS reports when a `secrets` valueFrom cannot be read."""
    cdef = t._sim["cdef"]
    for s in cdef.get("secrets") or []:
        ref = s.get("valueFrom") or ""
        try:
            if ref.startswith("arn:") and ":secretsmanager:" in ref:
                parts = ref.split(":")
                secret_arn = ":".join(parts[:7])
                json_key = parts[7] if len(parts) > 7 and parts[7] else None
                region, account = parts[3], parts[4]
                sm = secretsmanager_backends[account][region]
                try:
                    value = sm.get_secret_value(secret_arn, None, None)
                except Exception:
                    return (
                        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
                        f"unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret {secret_arn} "
                        "from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret."
                    )
                if json_key:
                    try:
                        doc = json.loads(value.get("SecretString") or "")
                    except ValueError:
                        doc = None
                    if not isinstance(doc, dict) or json_key not in doc:
                        return (
                            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
                            f"unable to retrieve secrets from ssm/asm: retrieved secret from Secrets Manager did not contain json key {json_key}"
                        )
            elif ref.startswith("arn:") and ":ssm:" in ref:
                parts = ref.split(":")
                region, account = parts[3], parts[4]
                name = ref.split(":parameter", 1)[1]
                if ssm_backends[account][region].get_parameter(name) is None:
                    raise KeyError(name)
            elif ref and not ref.startswith("arn:"):
                if ssm_backends[t._account_id][t.region_name].get_parameter(ref if ref.startswith("/") else ref) is None:
                    raise KeyError(ref)
        except KeyError:
            return (
                "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
                f"unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: {ref}"
            )
        except Exception:
            continue
    return None


def log_group_problem(t: SimTask) -> str | None:
    target = log_target(t)
    if not target:
        return None
    backend, group, _stream = target
    opts = (t._sim["cdef"].get("logConfiguration") or {}).get("options") or {}
    if group in backend.groups:
        return None
    if str(opts.get("awslogs-create-group", "")).lower() == "true":
        backend.create_log_group(group, {})
        return None
    return (
        "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch "
        "log stream: operation error CloudWatch Logs: CreateLogStream, https response error StatusCode: 400, RequestID: "
        f"{uuid.uuid4()}, ResourceNotFoundException: The specified log group does not exist. : exit status 1"
    )


def image_problem(t: SimTask) -> tuple[str, str] | None:
    """The image cannot be pulled (not found, no matching platform), or marks an architecture mismatch."""
    image = t._sim["image"]
    found = ecr_image(image)
    if found and found[0] == "missing":
        reason = f"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: {image}: not found"
        return reason, reason
    if found and found[0] == "found":
        verdict, arch = manifest_arch(found[1], t._sim["wanted_arch"])
        if verdict == "no-platform":
            reason = (
                f"CannotPullContainerError: pull image manifest has been retried 5 time(s): image Manifest does not contain descriptor "
                f"matching platform 'linux/{t._sim['wanted_arch']}' (the image has {arch})"
            )
            return reason, reason
        if verdict == "mismatch":
            t._sim["mode"] = "fail-arch"
            t._sim["image_arch"] = arch
    return None


def start_problem(t: SimTask) -> tuple[str, str] | None:
    """Why the task cannot start: (stoppedReason, container reason), in Fargate's order: the registry
    auth and the secrets (reached, then found), the image (reached, then found), the log stream
    (reached, then its group found). t._sim["timed_out"] says whether it is a network timeout."""
    problem, timed_out = first_problem(t)
    t._sim["timed_out"] = timed_out
    return problem


def first_problem(t: SimTask) -> tuple[tuple[str, str] | None, bool]:
    image = t._sim["image"]
    if t._sim["mode"] == "fail-pull":
        reason = f"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: {image}: not found"
        return (reason, reason), False
    net = start_failure(t) if REACH else None
    timeout = ((net["reason"], net["reason"]), True) if net else (None, False)
    if net and net["step"] in ("registry-auth", "secrets"):
        return timeout
    p = secret_problem(t)
    if p:
        return (p, p), False
    if net and net["step"] == "image-pull":
        return timeout
    p2 = image_problem(t)
    if p2:
        return p2, False
    if net:
        return timeout
    p = log_group_problem(t)
    return ((p, p) if p else None), False
