/** Environment variables berth reads as input, checked like flags before any AWS call. */
import { UsageError } from '../output/errors.js';

/** BERTH_AWS_ENDPOINT_URL: an http(s) URL, or unset. */
export function endpointUrlFromEnv(processEnv: NodeJS.ProcessEnv): string | undefined {
  const raw = processEnv.BERTH_AWS_ENDPOINT_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw new UsageError(
      `BERTH_AWS_ENDPOINT_URL "${raw.slice(0, 200)}" is not a URL; expected http(s)://host[:port], e.g. http://127.0.0.1:5000.`,
      {
        code: 'usage.env-var',
        hint: 'Unset it to talk to AWS itself.',
      },
    );
  return raw;
}
