/**
 * An esbuild plugin for the bundled CLI (scripts/build.mjs): the AWS SDK clients' schemas
 * (dist-es/schemas/schemas_0.js, one array per shape of the service's whole API) write member
 * traits with computed keys, `{ [_xN]: _BDM }`, where `_xN` is a string constant of the same file
 * (`const _xN = "xmlName";`). esbuild cannot prove such a key free of side effects, so it keeps
 * every shape: the EC2 client carried 800 KB of schemas for the 9 operations berth calls. Written
 * as the literal key the constant holds (`{ "xmlName": _BDM }`, the same object), the shapes berth
 * never sends or reads are dropped like any unused code.
 */
import { readFile } from 'node:fs/promises';

const SCHEMAS = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/** The schema file's text with every `[_name]:` key whose `_name` is a top-level string constant written as that string. */
export function literalKeys(src) {
  const strings = new Map();
  for (const m of src.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) strings.set(m[1], m[2]);
  return src.replace(/\[(_\w+)\]:/g, (key, id) => (strings.has(id) ? `${strings.get(id)}:` : key));
}

export const sdkSchemaKeys = {
  name: 'sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMAS }, async (a) => ({ contents: literalKeys(await readFile(a.path, 'utf8')), loader: 'js' }));
  },
};
