/**
 * A platform berth did not build (its environment pins real resources: src/config/names.ts
 * `hasResourceMap`) has no berth stacks behind it until it is adopted: `berth apply` would create a
 * second copy of what exists. On such a platform a fix that says `berth apply` says instead what to
 * change on the real resource the finding names, and how the platform comes under berth's stacks.
 */
import { hasResourceMap } from '../../config/names.js';
import type { EnvironmentConfig } from '../../config/types.js';
import type { Finding } from '../types.js';

const APPLY = /^berth apply --env \S+$/;

export function forPlatform(findings: Finding[], env: EnvironmentConfig): Finding[] {
  if (!hasResourceMap(env)) return findings;
  return findings.map((f) => {
    const commands = f.fix?.commands;
    if (!commands?.some((c) => APPLY.test(c.trim()))) return f;
    const rest = commands.filter((c) => !APPLY.test(c.trim()));
    const on = f.resource ? ` on ${f.resource}` : '';
    const note =
      `${f.fix?.note ? `${f.fix.note} ` : ''}This platform is not under berth's stacks: make the change${on} with the AWS console or CLI ` +
      `(or your own tooling); \`berth adopt --env ${env.name}\` brings it under berth's stacks, after which \`berth apply\` does it.`;
    const fix = { ...f.fix, note };
    if (rest.length) fix.commands = rest;
    else delete fix.commands;
    return { ...f, fix };
  });
}
