/**
 * berth/layers: the layers of berth point one way, and this rule keeps them so.
 *
 * - stacks/ imports only stacks/ and src/config/ (cdktf stays inside stacks/).
 * - src/<folder> imports only its own folder and the folders below it in LAYERS: no folder of src/
 *   imports one above it, so there are no cycles between the folders of src/ (src/aws knows nothing
 *   of the sandbox: the sandbox hands its endpoint in). Only the synth users (src/terraform,
 *   src/check) load stacks/, and lazily.
 * - cli/ only wires: it never calls the AWS SDK or cdktf itself.
 * - cdktf, its provider bindings and constructs are imported inside stacks/ only.
 * Imports are resolved from the file's own path, so the rule works on virtual files too.
 */
import { dirname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The folders of src/, lowest first: each may import those before it, never those after. */
export const LAYERS = [
  // start/: how bin/berth.js starts the bundled CLI (its code cache); bundled apart, it imports nothing of berth.
  ['start'],
  ['output'],
  ['config'],
  ['network'],
  ['ecs'],
  ['cli-args'],
  ['aws'],
  ['http'],
  ['terraform', 'check'],
  ['sandbox'],
  ['rollout'],
  ['adopt'],
  ['health', 'logs', 'status', 'doctor', 'runbooks', 'cost', 'dashboard', 'diagram', 'insights', 'db', 'revisions', 'discover'],
  ['run'],
];
const SYNTH_USERS = new Set(['terraform', 'check']);
const CDKTF = /^(cdktf|constructs|@cdktf\/.*)$/;

function rank(folder) {
  const i = LAYERS.findIndex((l) => l.includes(folder));
  return i < 0 ? undefined : i;
}

/** Where a repository path is: { area: 'stacks' | 'cli' | 'src' | 'other', folder }. */
function place(repoPath) {
  const parts = repoPath.split(sep).join('/').split('/');
  if (parts[0] === 'src') return { area: 'src', folder: parts.length > 2 ? parts[1] : '' };
  if (parts[0] === 'stacks' || parts[0] === 'cli') return { area: parts[0] };
  return { area: 'other' };
}

function problem(from, spec, to) {
  if (!to) {
    if (CDKTF.test(spec) && from.area !== 'stacks') return { id: 'cdktf', data: { spec } };
    if (from.area === 'cli' && spec.startsWith('@aws-sdk/')) return { id: 'cliWires', data: { spec } };
    return undefined;
  }
  if (from.area === 'stacks')
    return to.area === 'stacks' || (to.area === 'src' && to.folder === 'config') ? undefined : { id: 'stacks', data: { spec } };
  if (from.area !== 'src') return undefined;
  if (to.area === 'cli') return { id: 'up', data: { spec, from: `src/${from.folder}`, to: 'cli' } };
  if (to.area === 'stacks')
    return SYNTH_USERS.has(from.folder) ? undefined : { id: 'up', data: { spec, from: `src/${from.folder}`, to: 'stacks' } };
  if (to.area !== 'src' || to.folder === from.folder || !from.folder) return undefined;
  const a = rank(from.folder);
  const b = rank(to.folder);
  if (a === undefined || b === undefined) return { id: 'unknown', data: { folder: a === undefined ? from.folder : to.folder } };
  return b < a ? undefined : { id: 'up', data: { spec, from: `src/${from.folder}`, to: `src/${to.folder}` } };
}

export const layers = {
  meta: {
    type: 'problem',
    docs: { description: "imports follow berth's layers (cli -> src -> config; stacks -> config only; no cycles between src/ folders)" },
    schema: [],
    messages: {
      stacks: 'stacks/ may import only src/config (and stacks/): {{spec}}',
      up: '{{from}} may not import {{to}} ({{spec}}): layers point one way (see LAYERS in lint/layers.js)',
      unknown: 'src/{{folder}} is not in LAYERS (lint/layers.js): give the new folder its place',
      cdktf: 'cdktf and its bindings stay inside stacks/: {{spec}}',
      cliWires: 'cli/ only wires: call a src/ function instead of the SDK ({{spec}})',
    },
  },
  create(context) {
    const file = relative(ROOT, resolve(context.cwd ?? ROOT, context.filename));
    const from = place(file);
    if (from.area === 'other') return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      const to = spec.startsWith('.') ? place(normalize(join(dirname(file), spec))) : undefined;
      const p = problem(from, spec, to);
      if (p) context.report({ node, messageId: p.id, data: p.data });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default { rules: { layers } };
