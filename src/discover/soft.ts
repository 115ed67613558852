/**
 * Reads that may fail without stopping discovery: a service AWS refuses to describe to this identity
 * (access denied), or an API the account does not use. Such a failure is recorded (what, why) and
 * listed as not placed; a failure to reach AWS at all (credentials, network, time) still ends the
 * command with its named failure. Bounded pagination for lists (`pages`).
 */
import { classifyAwsError } from '../aws/failures.js';
import type { DiscoveryFacts } from './facts.js';

/** Pages of a list read, at most `max` (discover never walks an unbounded list). */
export const MAX_PAGES = 5;

export async function soft<T>(unread: DiscoveryFacts['unread'], what: string, p: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await p();
  } catch (e) {
    const f = classifyAwsError(e);
    if (f && !f.reached) throw f;
    if (f && (f.id === 'aws.access-denied' || f.id === 'aws.refused')) {
      unread.push({ what, why: `${f.id}: ${f.message.slice(0, 200)}` });
      return fallback;
    }
    const name = (e as { name?: string })?.name ?? '';
    if (/NotFound|NoSuch|InvalidParameter|ValidationError|Unknown/i.test(name)) {
      unread.push({ what, why: name });
      return fallback;
    }
    throw f ?? e;
  }
}

/** Every item of a paginated read, at most MAX_PAGES pages. */
export async function pages<T>(read: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const r = await read(token);
    out.push(...(r.items ?? []));
    token = r.next;
    if (!token) break;
  }
  return out;
}
