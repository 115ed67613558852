import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseLockInfo, terraformErrorText, translateFailure, StateLockedError, StalePlanError } from '../../src/terraform/errors.js';
import { readZipEntry, stateMeta } from '../../src/terraform/plan-file.js';
import { diagnosticsText, parseMessages, summarizePlan } from '../../src/terraform/plan-summary.js';
import { dependencyVerdict, readOutputNames, type PlanResult, type StackPlan } from '../../src/terraform/orchestrate.js';
import { renderPlanMarkdown, renderPlanText } from '../../src/terraform/render.js';

const SECRET = 'hunter2-super-secret-value';

/** `terraform plan -json` lines as terraform 1.11 writes them (trimmed), plus noise berth must skip. */
const msg = (type: string, rest: object) => JSON.stringify({ '@level': 'info', '@module': 'terraform.ui', type, ...rest });
const change = (addr: string, action: string, extra: object = {}) =>
  msg('planned_change', {
    '@message': `${addr}: Plan to ${action}`,
    change: { resource: { addr, resource_type: addr.split('.')[0] }, action, ...extra },
  });
const STREAM = [
  msg('version', { terraform: '1.11.4' }),
  msg('refresh_start', { hook: { resource: { addr: 'aws_vpc.network_vpc' } } }),
  'not json at all',
  change('aws_subnet.a', 'create'),
  change('aws_subnet.b', 'create'),
  change('aws_security_group.db', 'update'),
  change('aws_rds_cluster.data_cluster', 'replace', { reason: 'cannot_update' }),
  change('aws_lb.old', 'replace', { reason: 'cannot_update' }),
  change('aws_eip.nat[1]', 'delete', { reason: 'delete_because_no_resource_config' }),
  change('aws_route53_zone.zone', 'import', { importing: { id: 'Z123' } }),
  change('aws_s3_bucket.gone', 'remove', { reason: 'delete_because_no_resource_config' }),
  change('data.aws_iam_policy_document.x', 'read'),
  msg('change_summary', { changes: { add: 4, change: 1, import: 1, remove: 3, operation: 'plan' } }),
  msg('outputs', {
    outputs: {
      vpc_id: { sensitive: false, action: 'noop' },
      endpoint: { sensitive: false, action: 'update' },
      password: { sensitive: true, action: 'create' },
    },
  }),
];

describe('summarizePlan', () => {
  const s = summarizePlan(parseMessages(STREAM));

  it('counts the way terraform counts (a replacement is one add and one destroy)', () => {
    expect({ add: s.add, change: s.change, destroy: s.destroy }).toEqual({ add: 4, change: 1, destroy: 3 });
  });

  it('names what is created, changed, replaced, destroyed, imported and forgotten; data reads are not changes', () => {
    expect(s.created).toEqual(['aws_subnet.a', 'aws_subnet.b']);
    expect(s.updated).toEqual(['aws_security_group.db']);
    expect(s.replaced).toEqual(['aws_lb.old', 'aws_rds_cluster.data_cluster']);
    expect(s.destroyed).toEqual(['aws_eip.nat[1]']);
    expect(s.imported).toEqual(['aws_route53_zone.zone']);
    expect(s.forgotten).toEqual(['aws_s3_bucket.gone']);
    expect(s.outputsChanged).toEqual(['endpoint', 'password']);
    expect(s.hasChanges).toBe(true);
  });

  it('a plan of no-ops has no changes', () => {
    expect(summarizePlan(parseMessages([msg('outputs', { outputs: { a: { action: 'noop' } } })])).hasChanges).toBe(false);
  });

  it("turns terraform's error diagnostics back into its own text", () => {
    const text = diagnosticsText(
      parseMessages([
        msg('diagnostic', { diagnostic: { severity: 'warning', summary: 'meh' } }),
        msg('diagnostic', {
          diagnostic: {
            severity: 'error',
            summary: 'Error acquiring the state lock',
            detail: 'Lock Info:\n  ID:        abc\n  Who:       ci@x',
          },
        }),
      ]),
    );
    expect(text).toBe('Error: Error acquiring the state lock\n\nLock Info:\n  ID:        abc\n  Who:       ci@x');
    expect(parseLockInfo(text)).toMatchObject({ id: 'abc', who: 'ci@x' });
  });

  it('carries no value, so neither the text nor the Markdown can show a secret', () => {
    expect(JSON.stringify(s)).not.toContain(SECRET);
    const result: PlanResult = {
      environment: 'prod',
      exitCode: 2,
      changes: true,
      totals: { add: s.add, change: s.change, destroy: s.destroy },
      stacks: [
        { stack: 'app-prod-data', dependencies: [], status: 'planned', changes: true, summary: s, durationMs: 1000 },
        { stack: 'app-prod-service', dependencies: ['app-prod-data'], status: 'waiting', waitsOn: ['app-prod-data'], durationMs: 0 },
      ],
      planDir: '/p/.berth/work/prod',
      durationMs: 1000,
    };
    const text = renderPlanText(result);
    const md = renderPlanMarkdown(result);
    for (const out of [text, md]) {
      expect(out).toContain('aws_rds_cluster.data_cluster');
      expect(out).toContain('aws_eip.nat[1]');
    }
    expect(md).toContain('| `app-prod-data` | 4 | 1 | 3 |');
    expect(md).toMatch(/waits on app-prod-data/);
    expect(md).toMatch(/Replaced/);
    expect(text).toMatch(/4 to add, 1 to change, 3 to destroy/);
  });

  it('the text and the Markdown go through redaction (a credential in an error message is masked)', () => {
    const result: PlanResult = {
      environment: 'prod',
      exitCode: 1,
      changes: false,
      totals: { add: 0, change: 0, destroy: 0 },
      stacks: [
        {
          stack: 'app-prod-data',
          dependencies: [],
          status: 'failed',
          error: { message: `Error: cannot reach postgres://admin:${SECRET}@db:5432/app`, exitCode: 1 },
          durationMs: 0,
        },
      ],
      planDir: '/p',
      durationMs: 0,
    };
    for (const out of [renderPlanText(result), renderPlanMarkdown(result)]) {
      expect(out).toContain('postgres://admin:****@db');
      expect(out).not.toContain(SECRET);
    }
  });
});

describe('terraform errors', () => {
  const LOCKED = `
Error: Error acquiring the state lock

Error message: operation error S3: PutObject, https response error
StatusCode: 412, api error PreconditionFailed: At least one of the pre-conditions you
specified did not hold
Lock Info:
  ID:        69885826-1508-2f9b-c01a-e1fee8d59fab
  Path:      state-bkt/berth/app/prod/app-prod-network.tfstate
  Operation: OperationTypeApply
  Who:       ci@runner-7
  Version:   1.11.4
  Created:   2026-11-22 03:30:42.504863562 +0000 UTC
  Info:

Terraform acquires a state lock to protect the state from being written
by multiple users at the same time.`;

  it('reads who holds a lock, since when, and where', () => {
    expect(parseLockInfo(LOCKED)).toEqual({
      id: '69885826-1508-2f9b-c01a-e1fee8d59fab',
      path: 'state-bkt/berth/app/prod/app-prod-network.tfstate',
      operation: 'OperationTypeApply',
      who: 'ci@runner-7',
      version: '1.11.4',
      created: '2026-11-22 03:30:42.504863562 +0000 UTC',
    });
    expect(parseLockInfo('Error: something else')).toBeUndefined();
  });

  it('turns a held lock into an error naming it (exit 4)', () => {
    const e = translateFailure('app-prod-network', 'apply', { code: 1, stdout: '', stderr: LOCKED });
    expect(e).toBeInstanceOf(StateLockedError);
    expect(e.exitCode).toBe(4);
    expect(e.message).toContain('locked by ci@runner-7 since 2026-11-22 03:30:42');
    expect(e.message).toContain('lock 69885826-1508-2f9b-c01a-e1fee8d59fab on state-bkt/berth/app/prod/app-prod-network.tfstate');
    expect(e.hint).toContain('terraform force-unlock 69885826-1508-2f9b-c01a-e1fee8d59fab');
  });

  it("turns terraform's own stale-plan refusal into exit 5", () => {
    const e = translateFailure('s', 'apply', {
      code: 1,
      stdout: '',
      stderr: '\nError: Saved plan is stale\n\nThe given plan file can no longer be applied because the state was changed\n',
    });
    expect(e).toBeInstanceOf(StalePlanError);
    expect(e.exitCode).toBe(5);
  });

  it("shows terraform's diagnostics, without what came before and without secrets", () => {
    const out = `aws_db.x: Creating...\n\nError: creating RDS Cluster: InvalidParameterValue\n\n  with aws_rds_cluster.c,\n  url postgres://admin:${SECRET}@db:5432/app\n`;
    const text = terraformErrorText(out);
    expect(text.startsWith('Error: creating RDS Cluster')).toBe(true);
    expect(text).not.toContain(SECRET);
    const e = translateFailure('app-prod-data', 'apply', { code: 1, stdout: '', stderr: out });
    expect(e.message).toMatch(/^terraform apply of stack app-prod-data failed \(exit 1\):\nError: creating RDS Cluster/);
  });
});

describe("whether a stack's own plan stands, given its dependencies' plans", () => {
  const dep = (stack: string, over: Partial<StackPlan>): StackPlan => ({
    stack,
    dependencies: [],
    status: 'planned',
    changes: false,
    summary: summarizePlan([]),
    durationMs: 0,
    ...over,
  });
  const changing = (stack: string, outputs: string[]) =>
    dep(stack, { changes: true, summary: { ...summarizePlan([]), outputsChanged: outputs, hasChanges: true } });

  it('stands when no dependency changes an output it reads', () => {
    expect(dependencyVerdict({ stack: 's', reads: new Set(['vpc']) }, [dep('net', {}), changing('sec', ['other'])])).toBeUndefined();
  });

  it('waits on a dependency that changes an output it reads, or that waits itself', () => {
    expect(
      dependencyVerdict({ stack: 's', reads: new Set(['vpc']) }, [
        changing('net', ['vpc']),
        dep('dns', { status: 'waiting', waitsOn: ['x'] }),
      ]),
    ).toEqual({ status: 'waiting', waitsOn: ['net', 'dns'] });
  });

  it('waits on any output change when it cannot tell what it reads', () => {
    expect(dependencyVerdict({ stack: 's', reads: undefined }, [changing('net', ['other'])])).toEqual({
      status: 'waiting',
      waitsOn: ['net'],
    });
  });

  it('is blocked by a dependency that failed or was blocked', () => {
    expect(dependencyVerdict({ stack: 's', reads: new Set() }, [dep('net', { status: 'failed' }), changing('sec', ['x'])])).toEqual({
      status: 'blocked',
      blockedBy: ['net'],
    });
  });
});

describe('what a stack reads from other stacks', () => {
  it('finds the remote-state outputs a stack reads', () => {
    const json = JSON.stringify({
      a: '${data.terraform_remote_state.cross-stack-reference-input-x.outputs.cross-stack-output-aws_vpcid}',
      b: ['${data.terraform_remote_state.y.outputs["z"]}'],
    });
    expect([...readOutputNames(json)!].sort()).toEqual(['cross-stack-output-aws_vpcid', 'z']);
    expect(readOutputNames('{"a":"${data.terraform_remote_state.y.outputs}"}')).toBeUndefined();
    expect(readOutputNames('{}')?.size).toBe(0);
  });
});

/** A zip with one deflated and one stored entry, written by hand. */
function zip(entries: { name: string; data: Buffer; deflate: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(e.deflate ? 8 : 0, 8);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(e.deflate ? 8 : 0, 10);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, body);
    centrals.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('the state a saved plan was made against', () => {
  it('reads the tfstate entry of a plan file (deflated or stored)', () => {
    const state = Buffer.from(JSON.stringify({ version: 4, serial: 7, lineage: 'abc-123', resources: [] }));
    for (const deflate of [true, false]) {
      const z = zip([
        { name: 'tfplan', data: Buffer.from('x'), deflate },
        { name: 'tfstate', data: state, deflate },
      ]);
      expect(stateMeta(readZipEntry(z, 'tfstate')!.toString())).toEqual({ serial: 7, lineage: 'abc-123' });
      expect(readZipEntry(z, 'nope')).toBeUndefined();
    }
  });

  it('no state is serial 0 with no lineage', () => {
    expect(stateMeta('')).toEqual({ serial: 0, lineage: '' });
  });
});
