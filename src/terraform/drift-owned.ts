/**
 * What `berth drift` leaves out: changes to the attributes a stack hands to berth, ECS or
 * autoscaling after creating them (`lifecycle.ignore_changes` in its cdk.tf.json: the running task
 * definition, the desired count, the service's load balancer wiring, the listener rules' weights;
 * docs/deployment-ownership.md). Those change at every deploy or release by design; reporting them as
 * drift would make `berth drift` fail after every release. A resource deleted outside terraform is
 * always drift. Pure but for reading the stack file.
 */
import { readFileSync } from 'node:fs';
import type { ResourceDetail } from './plan-detail.js';

/** address (`type.name`) -> the attribute names its lifecycle ignores, from a stack's cdk.tf.json text. */
export function ignoredAttributes(stackJson: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let doc: { resource?: Record<string, Record<string, { lifecycle?: { ignore_changes?: unknown } }>> };
  try {
    doc = JSON.parse(stackJson);
  } catch {
    return out;
  }
  for (const [type, byName] of Object.entries(doc.resource ?? {}))
    for (const [name, body] of Object.entries(byName ?? {})) {
      const ignored = body?.lifecycle?.ignore_changes;
      if (Array.isArray(ignored))
        out.set(
          `${type}.${name}`,
          ignored.filter((x): x is string => typeof x === 'string'),
        );
    }
  return out;
}

const under = (path: string, attr: string) => path === attr || path.startsWith(`${attr}.`) || path.startsWith(`${attr}[`);

/** The drift that is terraform's: ignored attributes dropped, resources with nothing left dropped. */
export function terraformOwnedDrift(drift: readonly ResourceDetail[], ignored: Map<string, string[]>): ResourceDetail[] {
  return drift.flatMap((r) => {
    const skip = ignored.get(r.address);
    if (!skip?.length || r.action === 'destroy') return [r];
    const attributes = r.attributes.filter((a) => !skip.some((attr) => under(a.path, attr)));
    return attributes.length ? [{ ...r, attributes }] : [];
  });
}

/** The same, reading the stack's cdk.tf.json (a file that cannot be read ignores nothing). */
export function ownedDriftOfStack(drift: readonly ResourceDetail[], stackFile: string): ResourceDetail[] {
  let text = '';
  try {
    text = readFileSync(stackFile, 'utf8');
  } catch {
    return [...drift];
  }
  return terraformOwnedDrift(drift, ignoredAttributes(text));
}
