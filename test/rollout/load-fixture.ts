/** Loads a recorded timeline (test/rollout/fixtures/*.json) as the verdict's snapshots. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Identity, Snapshot } from '../../src/rollout/types.js';

export interface RecordedPoll {
  at: string;
  describeServices?: { services: NonNullable<Snapshot['service']>[] };
  describeTasks?: { tasks: NonNullable<Snapshot['tasks']> };
  describeTargetHealth?: { TargetHealthDescriptions: NonNullable<Snapshot['targets']> };
  logs?: Record<string, string[]>;
  smoke?: Snapshot['smoke'];
  error?: string;
}
export interface Fixture {
  description: string;
  identity: Identity;
  snapshots: RecordedPoll[];
  ecsRollbackDeploymentId?: string;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Fixture;
}

export function toSnapshot(p: RecordedPoll): Snapshot {
  if (p.error) return { at: p.at, error: p.error };
  return {
    at: p.at,
    service: p.describeServices?.services[0],
    tasks: p.describeTasks?.tasks ?? [],
    targets: p.describeTargetHealth ? p.describeTargetHealth.TargetHealthDescriptions : null,
    logs: p.logs,
    smoke: p.smoke,
  };
}

export function timeline(f: Fixture): Snapshot[] {
  return f.snapshots.map(toSnapshot);
}
