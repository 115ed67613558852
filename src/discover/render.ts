/** `berth discover`'s report: what was written, the roles it pinned, and what it could not place or placed with doubt. */
import type { ResourceMap } from '../config/types.js';
import type { Note } from './notes.js';

export interface DiscoverReport {
  ok: true;
  environment: string;
  file: string;
  cluster: string;
  region: string;
  services: { name: string; ecsService: string }[];
  resources: ResourceMap;
  reached: { database?: string[]; cache?: string[] };
  notPlaced: Note[];
  doubts: Note[];
}

type Paint = (style: 'bold' | 'dim' | 'yellow' | 'green', s: string) => string;

function roles(r: ResourceMap): string[] {
  const lines: string[] = [];
  const add = (k: string, v: unknown) => {
    if (v === undefined) return;
    lines.push(`  ${k.padEnd(22)} ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  };
  add('cluster', r.cluster);
  add('vpc', r.vpc);
  for (const t of ['public', 'private', 'database'] as const) add(`subnets.${t}`, r.subnets?.[t]);
  for (const t of ['public', 'private', 'database'] as const) add(`routeTables.${t}`, r.routeTables?.[t]);
  add('internetGateway', r.internetGateway);
  add('natGateways', r.natGateways);
  for (const [k, v] of Object.entries(r.securityGroups ?? {})) add(`securityGroups.${k}`, v);
  add('loadBalancer', r.loadBalancer?.name);
  add('certificate', r.certificate);
  add('hostedZone', r.hostedZone);
  add('database', r.database?.cluster);
  add('cache', r.cache?.replicationGroup);
  for (const [k, s] of Object.entries(r.services ?? {}))
    add(`services.${k}`, [s.service, s.targetGroup, s.logGroup].filter(Boolean).join(' · '));
  return lines;
}

const noteLine = (n: Note) =>
  `  - ${n.field ? `${n.field}: ` : ''}${n.why}${n.resource && !n.why.includes(n.resource) ? ` (${n.resource})` : ''}`;

export function renderDiscover(r: DiscoverReport, paint: Paint): string {
  const out = [
    `${paint('green', 'wrote')} ${r.file}: environment ${paint('bold', r.environment)} from cluster ${r.cluster} (${r.region}), services ${r.services.map((s) => `${s.name} <- ${s.ecsService}`).join(', ')}`,
    '',
    paint('bold', 'resource map'),
    ...roles(r.resources),
  ];
  if (r.notPlaced.length) out.push('', paint('yellow', `not placed (${r.notPlaced.length})`), ...r.notPlaced.map(noteLine));
  if (r.doubts.length) out.push('', paint('yellow', `placed with doubt (${r.doubts.length})`), ...r.doubts.map(noteLine));
  out.push('', paint('dim', `Check it with: berth config validate --env ${r.environment}; then berth doctor --env ${r.environment}`));
  return out.join('\n');
}
