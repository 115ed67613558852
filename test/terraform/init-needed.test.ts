/**
 * When a stack needs `terraform init` again (src/terraform/workspace.ts needsInit): never twice for
 * the same configuration, whether terraform wrote a dependency lock file (providers) or had none to
 * write (built-in resources only), and again as soon as the backend, the arguments or the providers
 * the stack uses change. Pure file checks: no terraform.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markInitialised, needsInit, type StackWork } from '../../src/terraform/workspace.js';
import { tempProject } from '../helpers/cli.js';

const project = tempProject('berth-init-needed-');
afterAll(() => project.cleanup());

const ARGS = ['init', '-input=false', '-no-color'];

function stack(name: string, json: object): StackWork {
  const dir = join(project.dir, 'stacks', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
  return {
    name,
    dependencies: [],
    dir,
    file: join(dir, 'cdk.tf.json'),
    dataDir: join(project.dir, 'work', name, 'data'),
    planFile: join(project.dir, 'work', `${name}.tfplan`),
    backend: { type: 'local', config: {} },
  };
}

/** What `terraform init` leaves behind, as far as needsInit looks: the lock file when there are providers. */
function init(st: StackWork, lock: string | undefined): void {
  const { marker } = needsInit(st, ARGS);
  if (lock !== undefined) writeFileSync(join(st.dir, '.terraform.lock.hcl'), lock);
  markInitialised(st, marker);
}

const BUILTIN = {
  terraform: { backend: { local: { path: 'a.tfstate' } } },
  resource: { terraform_data: { x: { input: 1 } } },
};

describe('terraform init, only when needed', () => {
  it('a stack of built-in resources only (no lock file to write) is initialised once', () => {
    const st = stack('builtin', BUILTIN);
    expect(needsInit(st, ARGS).needed).toBe(true);
    init(st, undefined);
    expect(needsInit(st, ARGS).needed).toBe(false);
    expect(needsInit(st, [...ARGS, '-upgrade']).needed).toBe(true);
  });

  it('again once the stack uses a provider, even without a change to its terraform block', () => {
    const st = stack('gains-provider', BUILTIN);
    init(st, undefined);
    writeFileSync(st.file, JSON.stringify({ ...BUILTIN, resource: { ...BUILTIN.resource, aws_sns_topic: { t: { name: 't' } } } }));
    expect(needsInit(st, ARGS).needed).toBe(true);
  });

  it('a stack with providers: once, the lock file restored from berth copy when a new synth dropped it', () => {
    const st = stack('aws', { ...BUILTIN, resource: { aws_sns_topic: { t: { name: 't' } } } });
    init(st, '# lock\n');
    expect(needsInit(st, ARGS).needed).toBe(false);
    rmSync(join(st.dir, '.terraform.lock.hcl'));
    expect(needsInit(st, ARGS).needed).toBe(false);
    expect(readFileSync(join(st.dir, '.terraform.lock.hcl'), 'utf8')).toBe('# lock\n');
    // No copy to restore it from: init again.
    rmSync(join(st.dir, '.terraform.lock.hcl'));
    rmSync(join(st.dataDir, '..', 'lock.hcl'));
    expect(needsInit(st, ARGS).needed).toBe(true);
    expect(existsSync(join(st.dir, '.terraform.lock.hcl'))).toBe(false);
  });

  it('again when the backend changes', () => {
    const st = stack('backend', BUILTIN);
    init(st, undefined);
    writeFileSync(st.file, JSON.stringify({ ...BUILTIN, terraform: { backend: { local: { path: 'b.tfstate' } } } }));
    expect(needsInit(st, ARGS).needed).toBe(true);
  });
});
