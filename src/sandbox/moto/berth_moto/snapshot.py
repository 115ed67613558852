"""
Saving the emulator's whole state to a file and loading it into a fresh emulator: what lets a
second `berth sandbox up` start from the sandbox a first one applied, with the same ids, instead of
applying every stack again.

What is saved, under LOCK (so no request and no scheduler tick is half done): every moto backend in
use (each BackendDict's accounts and regions, the backend objects as they are: resources, ids, the
ECS simulation's tasks and deployments, which live on moto's own objects) and berth's own emulator
state outside moto (ecs_sim.state.HEALTH: the health of the targets the scheduler registered), in
one pickle, so that objects shared between them stay shared. Loading replaces the backends of the
same services in place (the module-level BackendDicts everyone else refers to) and the HEALTH table.

Not saved: moto's recorder and seed (not used by berth), the ALB metrics being aggregated for the
current minute (alb_metrics._open) and the public endpoint's round-robin counters: both start
afresh, as after a restart. The scheduler measures its waits on time.monotonic(), which is the
machine's uptime: on the same machine, a restored task's timers are simply in the past.

POST /berth-api/snapshot {"path": ...} and POST /berth-api/restore {"path": ...} (server.py).
"""
from __future__ import annotations

import importlib
import io
import json
import pickle
import sys
import threading
from typing import Any

FORMAT = 1
_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))


def _crypto(obj: Any) -> Any:
    """ACM's certificates and keys (cryptography's Rust objects do not pickle): saved as PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    if isinstance(obj, x509.Certificate):
        return ("x509", obj.public_bytes(serialization.Encoding.PEM))
    if isinstance(obj, PrivateKeyTypes.__args__):  # type: ignore[attr-defined]
        pem = obj.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        return ("private-key", pem)
    return None


class _Pickler(pickle.Pickler):
    """Locks are not state: each is saved as a mark and loaded as a new lock (berth's LOCK as itself).
    Certificates and private keys are saved as PEM."""

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, _LOCK_TYPES):
            from . import LOCK

            return ("berth-lock",) if obj is LOCK else ("lock", "RLock" if "RLock" in type(obj).__name__ else "Lock")
        if type(obj).__module__.startswith("cryptography."):
            return _crypto(obj)
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        from . import LOCK

        if pid == ("berth-lock",):
            return LOCK
        if pid[0] == "lock":
            return threading.RLock() if pid[1] == "RLock" else threading.Lock()
        if pid[0] == "x509":
            from cryptography import x509

            return x509.load_pem_x509_certificate(pid[1])
        if pid[0] == "private-key":
            from cryptography.hazmat.primitives import serialization

            return serialization.load_pem_private_key(pid[1], password=None)
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


def _culprit(root: Any, limit: int = 200_000) -> str:
    """Where in the state the first object that cannot be saved is (for the error message)."""
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [("state", root)]
    while stack and len(seen) < limit:
        path, obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float, bool, type(None))):
            continue
        seen.add(id(obj))
        try:
            _Pickler(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
            continue
        except Exception as e:  # noqa: BLE001
            err = f"{type(e).__name__}: {e}"
        children: list[tuple[str, Any]] = []
        if isinstance(obj, dict):
            children = [(f"{path}[{k!r}]", v) for k, v in obj.items()]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            children = [(f"{path}[{i}]", v) for i, v in enumerate(obj)]
        elif hasattr(obj, "__dict__"):
            children = [(f"{path}.{k}", v) for k, v in vars(obj).items()]
        if not children:
            return f"{path} ({type(obj).__name__}): {err}"
        stack.extend(children)
    return "unknown"


def _where(bd: Any) -> tuple[str, str]:
    """The module and attribute that hold a BackendDict (where a fresh process finds it again)."""
    for mod_name in (bd.backend.__module__, bd.backend.__module__.rsplit(".", 1)[0]):
        mod = sys.modules.get(mod_name) or importlib.import_module(mod_name)
        for attr, value in vars(mod).items():
            if value is bd:
                return mod_name, attr
    raise RuntimeError(f"cannot locate the backends of {bd.service_name}")


def snapshot(path: str) -> dict[str, Any]:
    from moto.core.base_backend import BackendDict

    from . import LOCK
    from .ecs_sim import state

    with LOCK:
        backends: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        for bd in list(BackendDict._instances):  # type: ignore[misc]
            accounts = {acct: dict(dict.items(asb)) for acct, asb in dict.items(bd)}
            if any(accounts.values()):
                backends[_where(bd)] = accounts
        root = {"format": FORMAT, "backends": backends, "health": dict(state.HEALTH)}
        buf = io.BytesIO()
        try:
            _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(root)
        except Exception as e:  # noqa: BLE001
            raise RuntimeError(f"{type(e).__name__}: {e} at {_culprit(root)}") from e
        data = buf.getvalue()
    with open(path, "wb") as f:
        f.write(data)
    return {"services": sorted(f"{m}.{a}" for m, a in backends), "bytes": len(data)}


def restore(path: str) -> dict[str, Any]:
    from . import LOCK
    from .ecs_sim import state

    with open(path, "rb") as f:
        saved = _Unpickler(f).load()
    if saved.get("format") != FORMAT:
        raise ValueError(f"snapshot format {saved.get('format')!r}, expected {FORMAT}")
    with LOCK:
        for (mod_name, attr), accounts in saved["backends"].items():
            bd = getattr(importlib.import_module(mod_name), attr)
            for acct, regions in accounts.items():
                asb = bd[acct]
                for region, backend in regions.items():
                    dict.__setitem__(asb, region, backend)
        state.HEALTH.clear()
        state.HEALTH.update(saved["health"])
    return {"services": sorted(f"{m}.{a}" for m, a in saved["backends"])}


def handle(path_info: str, body: bytes) -> tuple[str, bytes]:
    """The /berth-api/snapshot and /berth-api/restore endpoints: (status, JSON body)."""
    try:
        target = json.loads(body or b"{}").get("path")
        if not isinstance(target, str) or not target:
            return "400 BAD REQUEST", json.dumps({"error": "expected {\"path\": \"...\"}"}).encode()
        result = snapshot(target) if path_info.endswith("/snapshot") else restore(target)
        return "200 OK", json.dumps(result).encode()
    except Exception as e:  # noqa: BLE001 - the caller gets the reason, the emulator keeps serving
        return "500 INTERNAL SERVER ERROR", json.dumps({"error": f"{type(e).__name__}: {e}"}).encode()
