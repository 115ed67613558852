/**
 * A local backend's state read directly (src/terraform/local-state.ts) is what `terraform output
 * -json` and `terraform state pull` print, for real (one stack of built-in resources, a sensitive
 * output among them); anything else (another backend, another workspace, another state format, a
 * file that does not parse) is left to terraform.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalOutputs, readLocalState } from '../../src/terraform/local-state.js';
import { stateMeta } from '../../src/terraform/plan-file.js';
import { runTerraform } from '../../src/terraform/process.js';
import type { StackWork } from '../../src/terraform/workspace.js';
import { tempProject } from '../helpers/cli.js';

const project = tempProject('berth-local-state-');
afterAll(() => project.cleanup());

const dir = join(project.dir, 'stacks', 'one');
const stack: Pick<StackWork, 'dir' | 'dataDir' | 'backend'> = {
  dir,
  dataDir: join(project.dir, 'work', 'one', 'data'),
  backend: { type: 'local', config: { path: '../../state/one.tfstate' } },
};
const env = { TF_DATA_DIR: stack.dataDir };

async function terraform(...args: string[]): Promise<string> {
  const r = await runTerraform({ cwd: dir, stack: 'one', args, env, timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  mkdirSync(stack.dataDir, { recursive: true });
  writeFileSync(
    join(dir, 'cdk.tf.json'),
    JSON.stringify({
      terraform: { backend: { local: { path: '../../state/one.tfstate' } } },
      resource: { terraform_data: { topic: { input: { name: 'events', tags: { team: 'a' } } } } },
      output: {
        name: { value: '${terraform_data.topic.output.name}' },
        whole: { value: '${terraform_data.topic.output}' },
        count: { value: 3 },
        token: { value: 'not-for-anyone', sensitive: true },
      },
    }),
  );
  await terraform('init', '-input=false', '-no-color');
}, 120_000);

describe('a local state read without terraform', () => {
  it('is "no state" before the first apply, as terraform says', async () => {
    expect(readLocalState(stack, env)).toEqual({ text: '' });
    expect(readLocalOutputs(stack, env)).toEqual({});
    expect(JSON.parse(await terraform('output', '-json'))).toEqual({});
  });

  it('after an apply: the outputs of `terraform output -json` and the serial and lineage of `terraform state pull`', async () => {
    await terraform('apply', '-auto-approve', '-input=false', '-no-color');
    expect(readLocalOutputs(stack, env)).toEqual(JSON.parse(await terraform('output', '-json')));
    expect(readLocalOutputs(stack, env)?.token).toMatchObject({ sensitive: true });
    expect(stateMeta(readLocalState(stack, env)!.text)).toEqual(stateMeta(await terraform('state', 'pull')));
    expect(stateMeta(readLocalState(stack, env)!.text).serial).toBeGreaterThan(0);
  });

  it('is left to terraform for another backend, another workspace, another format or a file that does not parse', () => {
    expect(readLocalState({ ...stack, backend: { type: 's3', config: {} } }, env)).toBeUndefined();
    expect(readLocalState(stack, { ...env, TF_WORKSPACE: 'blue' })).toBeUndefined();
    expect(readLocalState(stack, { ...env, TF_WORKSPACE: 'default' })).toBeDefined();
    const other = {
      ...stack,
      dataDir: join(project.dir, 'work', 'other', 'data'),
      backend: { type: 'local', config: { path: 'x.tfstate' } },
    };
    mkdirSync(other.dataDir, { recursive: true });
    writeFileSync(join(other.dataDir, 'environment'), 'blue');
    expect(readLocalState(other, env)).toBeUndefined();
    const plain = { ...other, dataDir: join(project.dir, 'work', 'plain', 'data') };
    writeFileSync(join(dir, 'x.tfstate'), JSON.stringify({ version: 3, serial: 1, modules: [] }));
    expect(readLocalState(plain, env)).toBeUndefined();
    writeFileSync(join(dir, 'x.tfstate'), '{"version": 4, "serial": 2');
    expect(readLocalOutputs(plain, env)).toBeUndefined();
  });
});
