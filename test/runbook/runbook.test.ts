import { describe, expect, it } from 'vitest';
import { CHECKS, isCheckId } from '../../src/doctor/catalog.js';
import { RUNBOOKS } from '../../src/runbooks/catalog.js';
import { runCli } from '../helpers/cli.js';

describe('runbooks', () => {
  it('cover every incident and checklist of RUNBOOKS.md', () => {
    const names = RUNBOOKS.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'redis-tls-url',
        'private-subnet-routes',
        'security-group-egress',
        'image-architecture',
        'certificate-pending',
        'task-not-starting',
        'health-check-failing',
        'database-connection',
        'redis-connection',
        'lambda-s3',
      ]),
    );
    expect(RUNBOOKS.filter((r) => r.kind === 'incident')).toHaveLength(5);
  });

  it('every step points at a real doctor check or a command', () => {
    for (const r of RUNBOOKS)
      for (const s of r.steps) {
        if (!s.checks?.length && !s.command) expect.fail(`${r.name}: step "${s.text}" names no check and no command`);
        for (const c of s.checks ?? []) expect(isCheckId(c), `${r.name}: ${c}`).toBe(true);
        if (s.command?.startsWith('berth ')) expect(s.command).toMatch(/^berth (doctor|logs|restart|deploy|apply|health|status) /);
      }
  });

  it('the checks the incidents name are the ones that find them', () => {
    const steps = (name: string) => RUNBOOKS.find((r) => r.name === name)!.steps.flatMap((s) => s.checks ?? []);
    expect(steps('redis-tls-url')).toContain('redis.url');
    expect(steps('private-subnet-routes')).toContain('network.private-route');
    expect(steps('security-group-egress')).toEqual(expect.arrayContaining(['security-groups.app-to-db', 'security-groups.app-to-cache']));
    expect(steps('image-architecture')).toContain('task-start.architecture');
    expect(steps('certificate-pending')).toEqual(
      expect.arrayContaining(['certificate.status', 'certificate.delegation', 'certificate.validation-records']),
    );
  });

  it('most doctor checks are reachable from some runbook', () => {
    const used = new Set(RUNBOOKS.flatMap((r) => r.steps.flatMap((s) => s.checks ?? [])));
    const unused = CHECKS.filter((c) => !c.id.endsWith('.gather') && !used.has(c.id)).map((c) => c.id);
    expect(unused.length).toBeLessThanOrEqual(8);
  });

  it('berth runbook lists them; berth runbook NAME prints the steps with their check ids', async () => {
    const list = await runCli(['runbook']);
    expect(list.code).toBe(0);
    for (const r of RUNBOOKS) expect(list.stdout).toContain(r.name);
    const one = await runCli(['runbook', 'private-subnet-routes']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('network.private-route');
    expect(one.stdout).toContain('aws ec2 associate-route-table');
    expect(one.stdout).toContain('berth doctor --env <env> network');
  });

  it('--json gives one JSON document; an unknown name is a usage error', async () => {
    const j = await runCli(['runbook', 'redis-tls-url', '--json']);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as { name: string; steps: { checks?: string[] }[] };
    expect(doc.name).toBe('redis-tls-url');
    expect(doc.steps.some((s) => s.checks?.includes('redis.url'))).toBe(true);
    const list = JSON.parse((await runCli(['runbook', '--json'])).stdout) as { runbooks: { name: string }[] };
    expect(list.runbooks).toHaveLength(RUNBOOKS.length);
    const bad = await runCli(['runbook', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('redis-tls-url');
  });
});
