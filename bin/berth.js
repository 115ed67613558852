#!/usr/bin/env node
// The berth bin: runs the compiled CLI (dist/, built by `npm run build`; a packed berth ships it).
import { main } from '../dist/bundle/berth.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
