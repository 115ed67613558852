#!/usr/bin/env node
// The berth bin: runs the bundled CLI (dist/bundle/, built by `npm run build`; a packed berth ships
// it) through its start, which compiles it with V8's code cache (src/start/run-bundle.ts).
import { createRequire } from 'node:module';

const { start } = createRequire(import.meta.url)('../dist/bundle/start.cjs');

start(process.argv).then((code) => {
  process.exitCode = code;
});
