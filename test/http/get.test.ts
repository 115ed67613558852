/**
 * src/http/get.ts: the doctor's probes without the global fetch (whose first use compiles undici),
 * with the part of fetch's contract they rely on: redirects, status, body, and its errors.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../../src/http/get.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/moved') return void res.writeHead(302, { location: '/health' }).end();
    if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
    if (req.url === '/health') return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"down"}');
    res.writeHead(404).end('nope');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('httpGet', () => {
  it('follows a redirect and gives the status and the body (text or JSON)', async () => {
    const r = await httpGet(`${base}/moved`, { redirect: 'follow' });
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'down' });
    expect(await (await httpGet(`${base}/other`)).text()).toBe('nope');
  });

  it("fails like fetch: TypeError('fetch failed') with the socket error as its cause; an aborted signal's reason", async () => {
    const refused = await httpGet('http://127.0.0.1:1/').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    const late = await httpGet(`${base}/slow`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((late as Error).name).toBe('TimeoutError');
    const loop = await httpGet(`${base}/loop`).catch((e: unknown) => e);
    expect((loop as { cause?: Error }).cause?.message).toBe('redirect count exceeded');
  });
});
