/**
 * `berth check` over the real synthesized stacks: the example environments pass with zero
 * findings, a deliberately weakened environment fails (exit 1) naming rule, stack, resource and
 * fix, and a waiver with a reason in the environment config turns it into a waived finding (exit 0).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/check/rules.js';
import { checkEnvironment } from '../../src/check/run.js';
import { loadEnvironment, parseEnvironment, ConfigError } from '../../src/config/load.js';
import { runCli, tempProject } from '../helpers/cli.js';

const project = tempProject('berth-check-');
afterAll(() => project.cleanup());

function writeEnv(name: string, patch: (e: Record<string, any>) => void): void {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  const e = JSON.parse(readFileSync('templates/environments/platform.json', 'utf8'));
  e.name = name;
  patch(e);
  mkdirSync(join(project.dir, 'environments'), { recursive: true });
  writeFileSync(join(project.dir, 'environments', `${name}.json`), JSON.stringify(e, null, 2));
}

describe('the example environments', () => {
  for (const name of ['platform', 'two-service', 'sandbox']) {
    it(`${name} passes every rule with zero findings and nothing waived`, async () => {
      const env = loadEnvironment(`templates/environments/${name}.json`);
      const r = await checkEnvironment(env, { project: project.dir });
      expect(r.findings).toEqual([]);
      expect(r.waived).toEqual([]);
      expect(r.exitCode).toBe(0);
      expect(r.stacks).toBe(9);
      expect(r.resources).toBeGreaterThan(50);
    });
  }
});

describe('berth check', () => {
  it('exits 0 on an example, with the count of rules and resources', async () => {
    const r = await runCli(['check', '--env', 'templates/environments/platform.json'], { project: project.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^platform: no findings \\(${RULES.length} rules over \\d+ resources in 9 stacks\\)`));
  });

  it('exits 1 on a finding and names rule, stack, resource and the fix', async () => {
    writeEnv('weak', (e) => {
      e.cache.transitEncryption = false;
      e.cache.authToken = false;
      e.services[0].environment.ADMIN_PASSWORD = 'correct-horse';
      e.services[0].secrets = { DATABASE_USERNAME: '@database:username', DATABASE_PASSWORD: '@database:password', REDIS_URL: '@redis:url' };
    });
    const r = await runCli(['check', '--env', 'weak'], { project: project.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^weak: 2 findings/);
    expect(r.stdout).toMatch(
      /HIGH BERTH-CACHE-002 Redis is encrypted in transit \(TLS\)\n {2}chatbot-weak-cache \/ aws_elasticache_replication_group\.\S+: transit_encryption_enabled is not true\n {2}fix: Set cache\.transitEncryption to true/,
    );
    expect(r.stdout).toMatch(
      /HIGH BERTH-SECRET-001 .*\n {2}chatbot-weak-service \/ aws_ecs_task_definition\.\S+: container api: ADMIN_PASSWORD looks like a secret/,
    );
    // The finding names the variable, never its value.
    expect(r.stdout + r.stderr).not.toContain('correct-horse');
    const json = await runCli(['check', '--env', 'weak', '--json'], { project: project.dir });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(['BERTH-CACHE-002', 'BERTH-SECRET-001']);
    expect(doc.findings[0]).toEqual(
      expect.objectContaining({ stack: expect.any(String), resource: expect.any(String), fix: expect.any(String), severity: 'high' }),
    );
  });

  it('a waiver with a reason silences its finding: shown as waived, exit 0', async () => {
    const weaken = (e: Record<string, any>) => {
      // eslint-disable-line @typescript-eslint/no-explicit-any
      e.cache.transitEncryption = false;
      e.cache.authToken = false;
    };
    writeEnv('waived', weaken);
    const before = await runCli(['check', '--env', 'waived', '--json'], { project: project.dir });
    expect(before.code).toBe(1);
    const f = JSON.parse(before.stdout).findings[0] as { rule: string; stack: string; resource: string };
    writeEnv('waived', (e) => {
      weaken(e);
      e.waivers = [{ rule: f.rule, resource: `${f.stack}/${f.resource}`, reason: 'Legacy client without TLS support; replaced in Q3.' }];
    });
    const r = await runCli(['check', '--env', 'waived'], { project: project.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no findings .*1 waived/);
    expect(r.stdout).toContain(
      `BERTH-CACHE-002 ${f.stack} / ${f.resource}: transit_encryption_enabled is not true (waived: Legacy client without TLS support; replaced in Q3.)`,
    );
  });

  it('a waiver without a reason is refused by the config schema (exit 2)', async () => {
    const e = JSON.parse(readFileSync('templates/environments/platform.json', 'utf8'));
    e.waivers = [{ rule: 'BERTH-CACHE-002' }];
    expect(() => parseEnvironment(e, 'platform.json', 'platform')).toThrow(ConfigError);
    writeEnv('noreason', (x) => (x.waivers = [{ rule: 'BERTH-CACHE-002', reason: '' }]));
    const r = await runCli(['check', '--env', 'noreason'], { project: project.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/waivers\[0\]\.reason/);
  });
});
