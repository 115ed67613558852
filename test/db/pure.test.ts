import { describe, expect, it } from 'vitest';
import { checkCopyFlags } from '../../src/db/copy.js';
import { checkClusterId, checkSnapshotId, copyName, defaultRestoreName, defaultSnapshotName } from '../../src/db/identifiers.js';
import { checkRestoreTime } from '../../src/db/restore.js';
import { restoreSource } from '../../src/db/restore-flags.js';
import { selectSnapshotsToDelete, type SnapshotFacts } from '../../src/db/retention.js';
import { switchSteps } from '../../src/db/switch-steps.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const ago = (d: number) => new Date(NOW - d * 86_400_000);
const berth = [{ Key: 'berth:created-by', Value: 'berth' }];

describe('snapshot retention selection', () => {
  const snaps: SnapshotFacts[] = [
    { id: 'rds:demo-prod-db-2026-11-26', type: 'automated', status: 'available', createdAt: ago(0) },
    { id: 'b1', type: 'manual', status: 'available', createdAt: ago(1), tags: berth },
    { id: 'b2', type: 'manual', status: 'available', createdAt: ago(5), tags: berth },
    { id: 'b3', type: 'manual', status: 'available', createdAt: ago(10), tags: berth },
    { id: 'b4', type: 'manual', status: 'available', createdAt: ago(200), tags: berth },
    { id: 'b5', type: 'manual', status: 'creating', createdAt: ago(300), tags: berth },
    { id: 'hand-made', type: 'manual', status: 'available', createdAt: ago(400) },
  ];
  const del = (v: ReturnType<typeof selectSnapshotsToDelete>) =>
    v
      .filter((x) => x.delete)
      .map((x) => x.id)
      .sort();

  it("keeps the N newest of berth's, deletes older than the max age; never automated or unmanaged ones", () => {
    expect(del(selectSnapshotsToDelete(snaps, { keep: 2, maxAgeDays: 90 }, NOW))).toEqual(['b3', 'b4']);
    expect(del(selectSnapshotsToDelete(snaps, { keep: 10, maxAgeDays: 90 }, NOW))).toEqual(['b4']);
    expect(del(selectSnapshotsToDelete(snaps, { keep: 10, maxAgeDays: 90 }, NOW, true))).toEqual(['b4', 'hand-made']);
  });

  it('always keeps the newest one, whatever its age, and ones still being created', () => {
    const old = [
      { id: 'x', type: 'manual', status: 'available', createdAt: ago(500), tags: berth },
      { id: 'y', type: 'manual', status: 'available', createdAt: ago(600), tags: berth },
    ];
    expect(del(selectSnapshotsToDelete(old, { keep: 5, maxAgeDays: 30 }, NOW))).toEqual(['y']);
    expect(selectSnapshotsToDelete(snaps, { keep: 1, maxAgeDays: 1 }, NOW).find((v) => v.id === 'b5')).toMatchObject({
      delete: false,
      why: 'status creating',
    });
  });
});

describe('identifiers', () => {
  it('follow RDS rules', () => {
    expect(checkClusterId('Demo-restore-1', '--name')).toBe('demo-restore-1');
    for (const bad of ['1abc', 'a--b', 'abc-', 'a'.repeat(64), 'a_b']) expect(() => checkClusterId(bad, '--name')).toThrow(/--name/);
    expect(checkSnapshotId('rds:demo-prod-db-2026-11-26-03-10', '--snapshot')).toMatch(/^rds:/);
    expect(() => checkSnapshotId('snap shot', '--snapshot')).toThrow(/--snapshot "snap shot"/);
    const at = new Date('2026-11-26T14:50:12Z');
    expect(defaultSnapshotName('demo-prod-db', at)).toBe('demo-prod-db-berth-20261126-145012');
    const long = defaultRestoreName('a'.repeat(60), at);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(() => checkClusterId(long, 'x')).not.toThrow();
    expect(copyName('arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:demo-2026')).toBe('demo-2026-copy');
  });
});

describe('restore flags', () => {
  it('exactly one source; a time with its zone, not in the future, within 35 days, inside the window', () => {
    expect(restoreSource({ snapshot: 'snap-1' }, NOW)).toEqual({ snapshot: 'snap-1' });
    expect(restoreSource({ latest: true }, NOW)).toEqual({ latest: true });
    expect(restoreSource({ toTime: '2026-11-26T09:30:00Z' }, NOW)).toEqual({ toTime: new Date('2026-11-26T09:30:00Z') });
    expect(() => restoreSource({}, NOW)).toThrow(/exactly one/);
    expect(() => restoreSource({ snapshot: 's', latest: true }, NOW)).toThrow(/exactly one/);
    expect(() => restoreSource({ toTime: '2026-11-26 09:30' }, NOW)).toThrow(/ISO 8601/);
    expect(() => restoreSource({ toTime: '2026-11-27T09:30:00Z' }, NOW)).toThrow(/future/);
    expect(() => restoreSource({ toTime: '2026-09-01T09:30:00Z' }, NOW)).toThrow(/35 days/);
    const win = { id: 'c', earliestRestorableTime: ago(7), latestRestorableTime: ago(0) };
    expect(() => checkRestoreTime(ago(8), win)).toThrow(/outside c's restorable window/);
    expect(() => checkRestoreTime(ago(1), win)).not.toThrow();
  });
});

describe('cross-region copy flags', () => {
  it('another region; a KMS key of the destination region', () => {
    expect(() =>
      checkCopyFlags(
        { toRegion: 'us-west-2', kmsKey: 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
        'us-east-1',
      ),
    ).not.toThrow();
    expect(() => checkCopyFlags({ toRegion: 'us-west-2', kmsKey: 'alias/dr' }, 'us-east-1')).not.toThrow();
    expect(() => checkCopyFlags({ toRegion: 'us-east-1' }, 'us-east-1')).toThrow(/own region/);
    expect(() => checkCopyFlags({ toRegion: 'mars-1' }, 'us-east-1')).toThrow(/--to-region "mars-1"/);
    expect(() =>
      checkCopyFlags(
        { toRegion: 'us-west-2', kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
        'us-east-1',
      ),
    ).toThrow(/is a key of us-east-1/);
    expect(() => checkCopyFlags({ toRegion: 'us-west-2', kmsKey: 'my key' }, 'us-east-1')).toThrow(/--kms-key/);
  });
});

describe('switch steps', () => {
  it('name the new endpoint, the secret to turn on and the watched move', () => {
    const s = switchSteps({
      env: 'prod',
      service: 'api',
      region: 'us-east-1',
      oldCluster: 'demo-prod-db',
      newCluster: 'demo-prod-db-r-1',
      newEndpoint: 'demo-prod-db-r-1.cluster-x.us-east-1.rds.amazonaws.com',
      securityGroups: ['sg-db'],
    });
    expect(s.join('\n')).toContain('--manage-master-user-password');
    expect(s.join('\n')).toContain('DATABASE_HOST=demo-prod-db-r-1.cluster-x');
    expect(s.join('\n')).toContain('berth rollback --env prod --service api --to');
    expect(s.join('\n')).toContain('sg-db');
  });
});
