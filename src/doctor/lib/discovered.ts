/**
 * Who manages the platform, and so which fix to print. `berth`: berth's stacks built it (no
 * resource map). `discovered`: a platform berth did not build (its environment pins real resources:
 * src/config/names.ts `hasResourceMap`) with no berth stacks behind it: `berth apply` would create a
 * second copy of what exists, so a fix that says `berth apply` says instead what to change on the
 * real resource (AWS CLI), and how the platform comes under berth's stacks. `adopted`: the same
 * platform after `berth adopt` (`.berth/adopt/<env>.json`, src/config/adoption.ts): berth's stacks
 * own its network and groups, so a route or group change the AWS CLI would make is made by the
 * stacks (`berth plan`, then `berth apply`); the AWS CLI command stays in the note for an emergency.
 */
import { existsSync } from 'node:fs';
import { adoptionFile } from '../../config/adoption.js';
import { hasResourceMap } from '../../config/names.js';
import type { EnvironmentConfig } from '../../config/types.js';
import type { Finding } from '../types.js';

export type PlatformKind = 'berth' | 'discovered' | 'adopted';

const APPLY = /^berth apply --env \S+$/;
/** Changes berth's network and security stacks make on an adopted platform (adopt lists them as creates). */
const STACK_OWNED =
  /^aws ec2 (associate-route-table|replace-route-table-association|create-route-table|create-route|replace-route|authorize-security-group-(ingress|egress)) /;

export function platformKind(env: EnvironmentConfig, project?: string): PlatformKind {
  if (!hasResourceMap(env)) return 'berth';
  return existsSync(adoptionFile(env.name, project)) ? 'adopted' : 'discovered';
}

function discoveredFix(f: Finding, env: EnvironmentConfig): Finding {
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
}

function adoptedFix(f: Finding, env: EnvironmentConfig): Finding {
  const commands = f.fix?.commands ?? [];
  const owned = commands.filter((c) => STACK_OWNED.test(c.trim()));
  if (!owned.length) return f;
  const rest = commands.filter((c) => !STACK_OWNED.test(c.trim()) && !APPLY.test(c.trim()));
  const on = f.resource ? ` ${f.resource}` : ' these resources';
  const note =
    `${f.fix?.note ? `${f.fix.note} ` : ''}This platform is adopted (.berth/adopt/${env.name}.json): berth's stacks own${on}; ` +
    `\`berth plan\` lists the change they make and \`berth apply\` makes it. In an emergency the AWS CLI does it at once ` +
    `(${owned.join('; ')}); \`berth drift\` then reports it until the stacks agree.`;
  return { ...f, fix: { ...f.fix, commands: [...rest, `berth plan --env ${env.name}`, `berth apply --env ${env.name}`], note } };
}

/** The findings with their fixes said the way this platform is managed. */
export function forPlatform(findings: Finding[], env: EnvironmentConfig, kind: PlatformKind): Finding[] {
  if (kind === 'berth') return findings;
  return findings.map((f) => (kind === 'adopted' ? adoptedFix(f, env) : discoveredFix(f, env)));
}
