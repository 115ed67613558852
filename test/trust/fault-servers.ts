/**
 * Network faults on 127.0.0.1, on ports picked at run time, for the network-fault part of the #10
 * matrix: an endpoint that accepts and never answers, one that resets every connection, a port
 * nobody listens on, one that answers canned AWS errors, and a proxy that throttles (400
 * ThrottlingException / 503) for a window of requests and then forwards to a real endpoint.
 */
import { createServer as createHttp, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcp, type AddressInfo, type Server, type Socket } from 'node:net';

export interface Fault {
  endpoint: string;
  /** Requests (or connections) seen so far. */
  hits: number;
  stop(): Promise<void>;
}

function track(server: Server): { sockets: Set<Socket>; stop: () => Promise<void> } {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    sockets,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Accepts every connection, reads what is sent, never answers. */
export async function silentServer(): Promise<Fault> {
  const f = { hits: 0 } as Fault;
  const server = createTcp((s) => {
    f.hits++;
    s.on('data', () => undefined);
    s.on('error', () => undefined);
  });
  const t = track(server);
  f.endpoint = await listen(server);
  f.stop = t.stop;
  return f;
}

/** Accepts, then resets the connection (TCP RST) as soon as the request arrives. */
export async function resetServer(): Promise<Fault> {
  const f = { hits: 0 } as Fault;
  const server = createTcp((s) => {
    f.hits++;
    s.on('error', () => undefined);
    s.once('data', () => s.resetAndDestroy());
  });
  const t = track(server);
  f.endpoint = await listen(server);
  f.stop = t.stop;
  return f;
}

/** A port that was free a moment ago and has no listener: connections are refused. */
export async function refusedEndpoint(): Promise<Fault> {
  const server = createTcp();
  const endpoint = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return { endpoint, hits: 0, stop: async () => undefined };
}

/** The error body in the protocol the caller speaks: JSON for JSON APIs (ECS, Logs...), XML for query APIs (ELBv2, STS...). */
export function awsError(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
  const json = String(req.headers['content-type'] ?? '').includes('json');
  if (json) {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fault-1', 'x-amzn-errortype': code });
    res.end(JSON.stringify({ __type: code, message }));
  } else {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'fault-1' });
    res.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
        '<RequestId>fault-1</RequestId></ErrorResponse>',
    );
  }
}

/** Answers every request with the same AWS error (access denied, expired token, throttling...). */
/** A server answering every request with the same AWS error; `calls` counts requests per operation. */
export async function cannedServer(status: number, code: string, message: string): Promise<Fault & { calls: Map<string, number> }> {
  const f = { hits: 0, calls: new Map<string, number>() } as Fault & { calls: Map<string, number> };
  const server = createHttp((req, res) => {
    f.hits++;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      // JSON protocols name the operation in X-Amz-Target, the query protocol in the body's Action.
      const op = String(req.headers['x-amz-target'] ?? /Action=(\w+)/.exec(body)?.[1] ?? req.url);
      f.calls.set(op, (f.calls.get(op) ?? 0) + 1);
      awsError(req, res, status, code, message);
    });
  });
  const t = track(server);
  f.endpoint = await listen(server);
  f.stop = t.stop;
  return f;
}

export interface ThrottleProxy extends Fault {
  /** How many requests were answered with a fault instead of forwarded. */
  faulted: number;
  forwarded: number;
}

/**
 * Forwards to `target`, except requests number `from` .. `from + count - 1` (0-based, counted over
 * every request), which get 400 ThrottlingException, or 503 for every third one.
 */
export async function throttlingProxy(target: string, windows: { from: number; count: number }[]): Promise<ThrottleProxy> {
  const f = { hits: 0, faulted: 0, forwarded: 0 } as ThrottleProxy;
  const to = new URL(target);
  const server = createHttp((req, res) => {
    const n = f.hits++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (windows.some((w) => n >= w.from && n < w.from + w.count)) {
        f.faulted++;
        if (f.faulted % 3 === 0) return awsError(req, res, 503, 'ServiceUnavailable', 'Service is unavailable, please retry');
        return awsError(req, res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      f.forwarded++;
      const up = request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', (e) => res.writeHead(502).end(String(e)));
      up.end(Buffer.concat(chunks));
    });
  });
  const t = track(server);
  f.endpoint = await listen(server);
  f.stop = t.stop;
  return f;
}
