/**
 * An adopted environment's existing resources brought under its stacks (`berth adopt`, issue #13):
 * for each resource of the stack named in the adoption file (src/config/adoption.ts), an `import`
 * block (cdktf `importFrom`), and the attributes to keep as they are added to its
 * `lifecycle.ignore_changes`, so that terraform takes over what exists instead of creating a second
 * copy or replacing it. Resources the file does not name are untouched (created as usual).
 */
import { TerraformResource } from 'cdktf';
import type { AdoptedStack } from '../src/config/adoption.js';
import type { BerthStack } from './base.js';

/** A resource's terraform address in its stack, e.g. `aws_vpc.network_vpc`. */
export function addressOf(r: TerraformResource): string {
  return `${r.terraformResourceType}.${r.friendlyUniqueId}`;
}

function keepAsIs(r: TerraformResource, attrs: string[]): void {
  const current = r.lifecycle?.ignoreChanges;
  if (current === 'all' || !attrs.length) return;
  const merged = [...new Set([...(Array.isArray(current) ? current : []), ...attrs])];
  r.lifecycle = { ...r.lifecycle, ignoreChanges: merged };
}

/** Apply the stack's imports and kept attributes; returns the addresses it did not find (a stale file). */
export function applyAdoption(stack: BerthStack, adopted: AdoptedStack): string[] {
  const seen = new Set<string>();
  for (const c of stack.node.findAll()) {
    if (!(c instanceof TerraformResource)) continue;
    const address = addressOf(c);
    const id = adopted.imports[address];
    if (id === undefined) continue;
    seen.add(address);
    c.importFrom(id);
    keepAsIs(c, adopted.keep[address] ?? []);
  }
  return Object.keys(adopted.imports).filter((a) => !seen.has(a));
}
