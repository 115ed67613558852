/**
 * #10, class 6: the stacks passed terraform validate, the emulator and `berth check`, yet real AWS
 * would quietly disappoint or refuse. The real synthesized stacks of an Aurora MySQL environment are
 * checked as they are now (zero findings) and with each defect put back the way berth used to
 * synthesize it (the old shape): `berth check` fails each one, naming the rule that caught it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEnvironment, checkStacks, type SynthFn } from '../../src/check/run.js';
import { parseEnvironment } from '../../src/config/load.js';
import type { TfJson } from '../../src/check/tfjson.js';
import { tempProject } from '../helpers/cli.js';

type Stack = { name: string; json: TfJson };
type Res = Record<string, Record<string, Record<string, unknown>>>;

const project = tempProject('berth-defects-');
let stacks: Stack[] = [];

beforeAll(async () => {
  const raw = JSON.parse(readFileSync('templates/environments/platform.json', 'utf8'));
  raw.name = 'mysql';
  raw.database = { ...raw.database, engine: 'mysql' };
  delete raw.database.version;
  const env = parseEnvironment(raw, 'mysql.json');
  // The real synth; keep a copy of what it wrote to check again with the old shapes put back.
  const synth: SynthFn = async (e, o) => {
    const { synthEnvironment } = await import('../../stacks/synth.js');
    const res = await synthEnvironment(e, o);
    const manifest = JSON.parse(readFileSync(`${res.outdir}/manifest.json`, 'utf8')) as {
      stacks: Record<string, { synthesizedStackPath: string }>;
    };
    stacks = Object.entries(manifest.stacks).map(([name, s]) => ({
      name,
      json: JSON.parse(readFileSync(`${res.outdir}/${s.synthesizedStackPath}`, 'utf8')),
    }));
    return res;
  };
  const now = await checkEnvironment(env, { synth, project: project.dir });
  expect(now.findings).toEqual([]);
}, 120_000);
afterAll(() => project.cleanup());

/** Check a copy of the synthesized stacks after `mutate` put an old shape back. */
function checkOld(mutate: (byStack: Map<string, Res>) => void) {
  const copy = structuredClone(stacks);
  mutate(new Map(copy.map((s) => [s.name, s.json.resource as Res])));
  return checkStacks('mysql', copy, { sandbox: false }).findings.map((f) => `${f.rule} ${f.stack}/${f.resource.split('.')[0]}`);
}

const one = <T>(o: Record<string, T> | undefined): T => Object.values(o ?? {})[0]!;

describe('berth check catches each real-AWS defect in the old shape', () => {
  it('Aurora MySQL exporting audit and slowquery with no parameter group that turns them on: BERTH-DB-003', () => {
    const found = checkOld((m) => {
      const data = m.get('chatbot-mysql-data')!;
      delete one(data.aws_rds_cluster).db_cluster_parameter_group_name;
      delete data.aws_rds_cluster_parameter_group;
    });
    expect(found).toEqual(['BERTH-DB-003 chatbot-mysql-data/aws_rds_cluster']);
  });

  it('the generated Redis secret kept 30 days after destroy, so re-creating the same day fails: BERTH-SECRET-002', () => {
    const found = checkOld((m) => {
      const secret = one(m.get('chatbot-mysql-cache')!.aws_secretsmanager_secret);
      delete secret.recovery_window_in_days;
    });
    expect(found).toEqual(['BERTH-SECRET-002 chatbot-mysql-cache/aws_secretsmanager_secret']);
  });

  it('a public ALB without access logs: BERTH-LB-005', () => {
    const found = checkOld((m) => {
      delete one(m.get('chatbot-mysql-edge')!.aws_lb).access_logs;
    });
    expect(found).toEqual(['BERTH-LB-005 chatbot-mysql-edge/aws_lb']);
  });

  it('access logs to a bucket log delivery cannot write to, or encrypted with KMS: BERTH-LB-006', () => {
    const found = checkOld((m) => {
      const edge = m.get('chatbot-mysql-edge')!;
      const sse = one(edge.aws_s3_bucket_server_side_encryption_configuration) as {
        rule: { apply_server_side_encryption_by_default: { sse_algorithm: string } }[];
      };
      sse.rule[0]!.apply_server_side_encryption_by_default.sse_algorithm = 'aws:kms';
    });
    expect(found).toEqual(['BERTH-LB-006 chatbot-mysql-edge/aws_lb']);
  });
});
