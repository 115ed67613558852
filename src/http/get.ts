/**
 * A GET with the part of fetch()'s contract the doctor's probes use (the public health URL, an
 * image config blob), on node:http(s). The global fetch loads and compiles Node's bundled undici on
 * its first use: about 150 ms of CPU on a cold start, more than everything else a probe does.
 * Like fetch: redirects followed (at most 20), the body read whole (here at most 4 MiB), a failed
 * connection rejects with TypeError('fetch failed') whose `cause` is the socket's error, and an
 * aborted signal rejects with the signal's reason.
 */
import type { IncomingMessage } from 'node:http';

export interface GetResponse {
  status: number;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export type HttpGet = (url: string, init?: { signal?: AbortSignal; redirect?: 'follow' }) => Promise<GetResponse>;

const MAX_REDIRECTS = 20;
const MAX_BODY = 4 << 20;

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      if (size < MAX_BODY) chunks.push(c);
      size += c.length;
    });
    res.on('end', () => resolve(Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8')));
    res.on('error', reject);
  });
}

async function once(url: URL, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const mod = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { signal, headers: { 'User-Agent': 'berth-doctor/1', Accept: '*/*' } }, resolve);
    req.on('error', (e) => reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: e })));
  });
}

export const httpGet: HttpGet = async (url, init = {}) => {
  let at = new URL(url);
  for (let hop = 0; ; hop++) {
    if (at.protocol !== 'http:' && at.protocol !== 'https:')
      throw new TypeError('fetch failed', { cause: new Error(`unsupported scheme ${at.protocol}`) });
    const res = await once(at, init.signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
      res.resume();
      at = new URL(location, at);
      continue;
    }
    if (status >= 300 && status < 400 && location) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
    const body = readBody(res);
    body.catch(() => undefined);
    return { status, text: () => body, json: async () => JSON.parse(await body) as unknown };
  }
};
