/**
 * The HTTP check of a service's public health URL: status, latency, and for https the days the
 * server's certificate has left. In the sandbox the request goes to the local stand-in for the
 * public URL with the real host name in the Host header.
 */
import type { AwsContext } from '../aws/context.js';
import { names, publicHealthPath } from '../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';

export interface HealthUrl {
  /** What the operator would type: https://api.example.org/health */
  publicUrl: string;
  /** Where the request really goes (differs in the sandbox). */
  requestUrl: string;
  /** Host header to send when requestUrl is not the public host. */
  host?: string;
  /** Why there is nothing to request (requestUrl empty). */
  unavailable?: string;
}

export function healthUrl(
  env: EnvironmentConfig,
  svc: ServiceConfig,
  ctx: Pick<AwsContext, 'publicUrlOverride'> & { sandbox?: boolean; endpoint?: string },
): HealthUrl {
  const n = names(env);
  const path = publicHealthPath(svc);
  const publicUrl = `${n.publicUrl}${path}`;
  if (ctx.publicUrlOverride) return { publicUrl, requestUrl: `${ctx.publicUrlOverride.replace(/\/$/, '')}${path}`, host: n.fqdn };
  // A sandbox's host name exists nowhere but in the sandbox: never ask public DNS for it.
  if (ctx.sandbox)
    return {
      publicUrl,
      requestUrl: '',
      unavailable:
        'the sandbox has no local stand-in for the public URL (no publicUrl in .berth/sandbox/sandbox.json; is `berth sandbox up` running?)',
    };
  // AWS calls go to an emulator (BERTH_AWS_ENDPOINT_URL): its load balancer is not the public host's.
  if (ctx.endpoint)
    return {
      publicUrl,
      requestUrl: '',
      unavailable: `AWS calls go to an emulator (${ctx.endpoint}) and no local stand-in for the public URL is known (set BERTH_PUBLIC_URL)`,
    };
  return { publicUrl, requestUrl: publicUrl };
}

export interface HttpResult {
  url: string;
  ok: boolean;
  status?: number;
  latencyMs?: number;
  error?: string;
  /** First bytes of the body (for "status": "healthy" style answers). */
  body?: string;
  tls?: { validTo: string; daysLeft: number; subject?: string };
}

const UNHEALTHY_BODY = /"status"\s*:\s*"(unhealthy|fail(ed|ing)?|down|error)"/i;

export async function httpCheck(
  u: HealthUrl,
  opts: { timeoutMs?: number; now?: () => number; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  if (!u.requestUrl) return { url: u.publicUrl, ok: false, error: u.unavailable ?? 'no URL to check' };
  const timeoutMs = opts.timeoutMs ?? 5000;
  const now = opts.now ?? Date.now;
  const url = new URL(u.requestUrl);
  const mod = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const started = now();
  return new Promise<HttpResult>((resolve) => {
    let settled = false;
    const done = (r: Omit<HttpResult, 'url'>) => {
      if (settled) return;
      settled = true;
      resolve({ url: u.publicUrl, ...r });
    };
    const req = mod.request(
      url,
      {
        method: 'GET',
        headers: { ...(u.host ? { Host: u.host } : {}), 'User-Agent': 'berth-health/1', Accept: 'application/json, */*', ...opts.headers },
        timeout: timeoutMs,
        // TLS: the public host's name. Plain HTTP (the sandbox's stand-in) has no server name: saying
        // so spares Node's agent deriving one from the Host header, whose IP test compiles its IPv6
        // regular expression (~5 ms of a cold start) for nothing.
        ...(url.protocol === 'https:' ? (u.host ? { servername: u.host } : {}) : { servername: '' }),
      },
      (res) => {
        let tls: HttpResult['tls'];
        const sock = res.socket as import('node:tls').TLSSocket;
        if (typeof sock.getPeerCertificate === 'function') {
          const cert = sock.getPeerCertificate();
          if (cert?.valid_to) {
            const validTo = new Date(cert.valid_to);
            tls = {
              validTo: validTo.toISOString(),
              daysLeft: Math.floor((validTo.getTime() - now()) / 86_400_000),
              subject: cert.subject?.CN,
            };
          }
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 2048) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString('utf8').slice(0, 500);
          const ok = status >= 200 && status < 300 && !UNHEALTHY_BODY.test(body);
          done({
            ok,
            status,
            latencyMs: now() - started,
            body,
            tls,
            ...(ok ? {} : { error: status >= 200 && status < 300 ? 'the body reports unhealthy' : `HTTP ${status}` }),
          });
        });
        res.on('error', (e) => done({ ok: false, status: res.statusCode, latencyMs: now() - started, error: e.message, tls }));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({ ok: false, latencyMs: now() - started, error: e.code ? `${e.code}: ${e.message}` : e.message }),
    );
    req.end();
  });
}
