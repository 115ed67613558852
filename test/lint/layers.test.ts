/**
 * The layering rule (lint/layers.js, run by `npm run lint`) fails a deliberate violation: each
 * case is linted through ESLint's Node API with the repository's own config, as a virtual file at
 * the path that makes it a violation (or not).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let eslint: ESLint;

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r!.messages.filter((m) => m.ruleId === 'berth/layers').map((m) => m.message);
}

describe('berth/layers', () => {
  beforeAll(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  it('fails the fixture: a stack that imports src/rollout (stacks import only src/config)', async () => {
    const code = readFileSync(join(ROOT, 'test/fixtures/layers/stack-imports-rollout.ts'), 'utf8');
    const errors = await layerErrors('stacks/constructs/bad.ts', code);
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toContain('../../src/rollout/verdict.js');
    expect(errors.join('\n')).toContain('../../src/ecs/revisions.js');
    // the same file where it belongs (src/, above both) is fine
    expect(await layerErrors('src/status/ok.ts', code.replaceAll('../../src/', '../'))).toEqual([]);
  });

  it('a stack may import src/config', async () => {
    expect(
      await layerErrors(
        'stacks/constructs/ok.ts',
        "import { HEALTHY_TAG } from '../../src/config/revision-tags.js';\nexport const t = HEALTHY_TAG;\n",
      ),
    ).toEqual([]);
  });

  it('src/aws knows nothing of the sandbox', async () => {
    expect(
      await layerErrors(
        'src/aws/bad.ts',
        "import { readSandboxRecord } from '../sandbox/state.js';\nexport const r = readSandboxRecord;\n",
      ),
    ).toHaveLength(1);
  });

  it('no cycle between src/ folders: a lower folder may not import a higher one, even lazily', async () => {
    expect(await layerErrors('src/health/ok.ts', "import { locate } from '../rollout/target.js';\nexport const l = locate;\n")).toEqual([]);
    expect(
      await layerErrors('src/rollout/bad.ts', "export async function f() { return (await import('../health/judge.js')).judgeHealth; }\n"),
    ).toHaveLength(1);
    expect(await layerErrors('src/ecs/bad.ts', "export { judge } from '../rollout/verdict.js';\n")).toHaveLength(1);
  });

  it('a new src/ folder must be given its place in the layers', async () => {
    const errors = await layerErrors('src/newthing/x.ts', "import { names } from '../config/names.js';\nexport const n = names;\n");
    expect(errors.join('\n')).toContain('src/newthing is not in LAYERS');
  });

  it('cli/ only wires: no AWS SDK and no cdktf there', async () => {
    expect(
      await layerErrors('cli/commands/bad.ts', "import { ECSClient } from '@aws-sdk/client-ecs';\nexport const c = ECSClient;\n"),
    ).toHaveLength(1);
    expect(await layerErrors('cli/commands/bad.ts', "import { App } from 'cdktf';\nexport const a = App;\n")).toHaveLength(1);
  });
});
