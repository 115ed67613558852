/** The shared conformance cases (conformance.json): each case's facts, and running a case through the TypeScript model. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reachPeer, reachService } from '../../src/network/reach.js';
import { firstStartFailure, type StartNeeds } from '../../src/network/start.js';
import type { AwsService, NetFacts, PeerPlace, TaskPlace, Verdict } from '../../src/network/types.js';

export const CONFORMANCE = fileURLToPath(new URL('./conformance.json', import.meta.url));

export interface Case {
  name: string;
  kind: 'service' | 'peer' | 'start';
  with?: Partial<NetFacts>;
  task?: TaskPlace;
  service?: AwsService;
  src?: { subnetIds: string[]; securityGroupIds: string[] };
  dst?: PeerPlace;
  needs?: StartNeeds;
  expect: unknown;
}

export const doc = JSON.parse(readFileSync(CONFORMANCE, 'utf8')) as { facts: NetFacts; cases: Case[] };

export const factsOf = (c: Case): NetFacts => ({ ...doc.facts, ...(c.with ?? {}) });

/** A verdict as the fixture writes it: `via` null when there is none. */
const plain = (v: Verdict) => ({ ok: v.ok, via: v.via ?? null, path: v.path, blockers: v.blockers });

export function runCase(c: Case): unknown {
  const f = factsOf(c);
  if (c.kind === 'service') return plain(reachService(f, c.task!, c.service!));
  if (c.kind === 'peer') return plain(reachPeer(f, c.src!, c.dst!));
  const r = firstStartFailure(f, c.task!, c.needs!);
  return r ? { step: r.step, service: r.service, verdict: plain(r.verdict) } : null;
}
