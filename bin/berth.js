#!/usr/bin/env node
// The berth bin: runs the compiled CLI. Build first with `npm run build`.
import { main } from '../dist/cli/index.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
