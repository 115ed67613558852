/** Environment variables berth reads as input, checked like flags before any AWS call. */
import { UsageError } from '../output/errors.js';
import { codeCacheSetting } from '../start/code-cache.js';

/** An http(s) URL from environment variable `name`, or undefined when unset; bad input (exit 2) otherwise. */
function urlFromEnv(processEnv: NodeJS.ProcessEnv, name: string, example: string, hint: string): string | undefined {
  const raw = processEnv[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw new UsageError(`${name} "${raw.slice(0, 200)}" is not a URL; expected http(s)://host[:port], e.g. ${example}.`, {
      code: 'usage.env-var',
      hint,
    });
  return raw;
}

/** BERTH_AWS_ENDPOINT_URL: an http(s) URL, or unset. */
export function endpointUrlFromEnv(processEnv: NodeJS.ProcessEnv): string | undefined {
  return urlFromEnv(processEnv, 'BERTH_AWS_ENDPOINT_URL', 'http://127.0.0.1:5000', 'Unset it to talk to AWS itself.');
}

/**
 * BERTH_PUBLIC_URL: where requests for the environment's public URL go instead (a local stand-in,
 * such as an emulator's public port), with the real host name in the Host header; or unset.
 */
export function publicUrlFromEnv(processEnv: NodeJS.ProcessEnv): string | undefined {
  return urlFromEnv(processEnv, 'BERTH_PUBLIC_URL', 'http://127.0.0.1:5001', 'Unset it to request the public URL itself.');
}

/** BERTH_CODE_CACHE (src/start/code-cache.ts): unset, 0 or 1; anything else is bad input (exit 2), for every command. */
export function checkCodeCacheEnv(processEnv: NodeJS.ProcessEnv): void {
  if (codeCacheSetting(processEnv) === 'invalid')
    throw new UsageError(
      `BERTH_CODE_CACHE="${String(processEnv.BERTH_CODE_CACHE).slice(0, 200)}": expected 0 (no code cache) or 1 (the default: berth keeps V8's code cache of its commands).`,
      { code: 'usage.env-var', hint: 'Unset it, or set it to 0 or 1.' },
    );
}
