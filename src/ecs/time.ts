/** Times as the AWS APIs give them. Pure. */
import type { Time } from './types.js';

/** Milliseconds since the epoch of a Date (SDK), an ISO string (AWS CLI, fixtures) or epoch seconds or ms. */
export function toMs(t: Time | undefined): number | undefined {
  if (t === undefined || t === null) return undefined;
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'number') return t < 1e11 ? Math.round(t * 1000) : t; // epoch seconds (AWS CLI) or ms
  const n = Date.parse(t);
  return Number.isNaN(n) ? undefined : n;
}
