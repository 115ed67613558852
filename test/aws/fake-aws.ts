/**
 * A fake AWS endpoint: every request is recorded in arrival order by its operation (the
 * X-Amz-Target header, or the query's Action), and answered by the test's handler. A handler may
 * hold its answer until another request has arrived, to prove two calls were in flight together.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeCall {
  operation: string;
  body: Record<string, unknown>;
}

/** A JSON body, or a string sent as it is (XML for the query protocols) with its content type. */
export type FakeAnswer = { status?: number; body: unknown; contentType?: string } | undefined;

export interface FakeAws {
  endpoint: string;
  calls: FakeCall[];
  /** Resolves when a request for `operation` has arrived (at once if it already has), or false after `ms`. */
  arrived(operation: string, ms: number): Promise<boolean>;
  close(): Promise<void>;
}

function operationOf(req: IncomingMessage, raw: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop()!;
  return new URLSearchParams(raw).get('Action') ?? req.url ?? '';
}

export async function fakeAws(handle: (call: FakeCall, aws: FakeAws) => Promise<FakeAnswer> | FakeAnswer): Promise<FakeAws> {
  const waiting: { operation: string; wake: () => void }[] = [];
  const aws: FakeAws = {
    endpoint: '',
    calls: [],
    arrived(operation, ms) {
      if (aws.calls.some((c) => c.operation === operation)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        waiting.push({ operation, wake: () => (clearTimeout(timer), resolve(true)) });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', async () => {
      const operation = operationOf(req, raw);
      let body: Record<string, unknown> = {};
      try {
        body = raw.startsWith('{') ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        // not JSON: a query request
      }
      const call = { operation, body };
      aws.calls.push(call);
      for (const w of waiting.filter((x) => x.operation === operation)) w.wake();
      const answer = (await handle(call, aws)) ?? { status: 400, body: { __type: 'UnknownOperationException', message: operation } };
      const text = typeof answer.body === 'string';
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? (text ? 'text/xml' : 'application/x-amz-json-1.1') });
      res.end(text ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  aws.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return aws;
}
