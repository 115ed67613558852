"""
Start moto's server with berth's extensions: the same WSGI application moto_server runs, wrapped.

The wrapper (Middleware) holds LOCK around each request, and:
- answers an action moto does not implement with HTTP 501 NotImplemented naming the action (moto
  answers 500, which the AWS SDKs retry: terraform's provider loops for 15 minutes), and says so on
  stderr;
- serves POST /berth-api/snapshot and /berth-api/restore (snapshot.py: the whole state to a file
  and back, for a second `berth sandbox up`);
- drops ChangeInfo from Route 53 change responses to terraform's AWS provider: every change is
  INSYNC at once here, and without a ChangeInfo the provider skips its fixed 15 s wait per change.

What moto repeats for every request and need not: request_overhead.py.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
from typing import Any, Callable, Iterable


def _defaults() -> None:
    # Before moto is imported: AWS managed policies exist (AmazonECSTaskExecutionRolePolicy...),
    # e-mail-validated ACM certificates validate at once (DNS-validated ones follow their records:
    # acm_validation.py).
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "0")


CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
CHANGE_INFO = re.compile(rb"<ChangeInfo>.*?</ChangeInfo>", re.S)


class Middleware:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        from . import LOCK

        path_info = environ.get("PATH_INFO", "")
        if path_info in ("/berth-api/snapshot", "/berth-api/restore") and environ.get("REQUEST_METHOD") == "POST":
            from . import snapshot

            size = int(environ.get("CONTENT_LENGTH") or 0)
            status, body = snapshot.handle(path_info, environ["wsgi.input"].read(size) if size else b"")
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        captured: dict[str, Any] = {}
        chunks: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured["status"] = status
            captured["headers"] = headers
            return chunks.append

        with LOCK:
            result = self.app(environ, capture)
            try:
                for chunk in result:
                    chunks.append(chunk)
            finally:
                close = getattr(result, "close", None)
                if close:
                    close()
        body = b"".join(chunks)
        status = captured.get("status", "500 INTERNAL SERVER ERROR")
        headers = list(captured.get("headers", []))

        scope = CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        service = scope.group(2) if scope else ""
        agent = environ.get("HTTP_USER_AGENT", "").lower()
        if (
            service == "route53"
            and "terraform" in agent
            and environ.get("REQUEST_METHOD") in ("POST", "DELETE")
            and status[:1] == "2"
            and b"<ChangeInfo>" in body
        ):
            body = CHANGE_INFO.sub(b"", body)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(body)))]
        start_response(status, headers)
        return [body]


def _not_implemented_handler() -> None:
    import flask

    from .gaps import log

    original = flask.Flask.handle_exception

    def handle_exception(self: Any, e: BaseException) -> Any:
        if isinstance(e, NotImplementedError):
            req = flask.request
            target = req.headers.get("X-Amz-Target", "")
            scope = CREDENTIAL_SCOPE.search(req.headers.get("Authorization", ""))
            service = scope.group(2) if scope else "?"
            message = f"berth sandbox: the emulator (moto) does not implement this call: {e} [{service}{' ' + target if target else ''}]"
            log(f"NOT IMPLEMENTED {service} {target or req.method + ' ' + req.path}: {e}")
            if target or "json" in (req.content_type or ""):
                return flask.Response(
                    '{"__type":"NotImplemented","message":%s}' % __import__("json").dumps(message),
                    status=501,
                    content_type="application/x-amz-json-1.1",
                    headers={"x-amzn-ErrorType": "NotImplemented"},
                )
            xml = (
                "<ErrorResponse><Error><Type>Sender</Type><Code>NotImplemented</Code>"
                f"<Message>{message.replace('&', '&amp;').replace('<', '&lt;')}</Message></Error>"
                "<RequestId>berth-sandbox</RequestId></ErrorResponse>"
            )
            return flask.Response(xml, status=501, content_type="text/xml")
        return original(self, e)

    flask.Flask.handle_exception = handle_exception  # type: ignore[method-assign]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="berth-moto", description="moto_server with berth's sandbox extensions")
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("MOTO_PORT", 5000)))
    parser.add_argument("--public-port", type=int, default=0, help="port of the local stand-in for the public URL (0: none)")
    args = parser.parse_args(argv)

    _defaults()
    os.environ.setdefault("MOTO_PORT", str(args.port))

    from moto import __version__ as moto_version
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple

    from . import acm_validation, alarm_eval, alb_metrics, ecs_sim, gaps, logs_insights, one_off_tasks, public, rds_snapshots, request_overhead

    gaps.install()
    rds_snapshots.install()
    acm_validation.install()
    logs_insights.install()
    alb_metrics.install()
    alarm_eval.install()
    _not_implemented_handler()
    request_overhead.install()
    # moto's own knob for fixed ECS numbers (MOTO_ECS_SERVICE_RUNNING) and a scheduler that runs
    # tasks contradict each other: whoever sets it wants moto's ECS as it is.
    if os.environ.get("BERTH_SANDBOX_ECS_SIM", "1") != "0" and "MOTO_ECS_SERVICE_RUNNING" not in os.environ:
        ecs_sim.install()
        one_off_tasks.install()
    else:
        sys.stderr.write("berth-sandbox: ECS simulation off (BERTH_SANDBOX_ECS_SIM=0 or MOTO_ECS_SERVICE_RUNNING set)\n")
    if args.public_port:
        public.serve(args.host, args.public_port)

    if not os.environ.get("BERTH_SANDBOX_VERBOSE"):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def stop(_signum: int, _frame: Any) -> None:
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    app = DomainDispatcherApplication(create_backend_app)
    sys.stderr.write(
        f"berth-sandbox: moto {moto_version} on http://{args.host}:{args.port}"
        + (f", public endpoint on http://{args.host}:{args.public_port}" if args.public_port else "")
        + "\n"
    )
    sys.stderr.flush()
    run_simple(args.host, args.port, Middleware(app), threaded=True)
