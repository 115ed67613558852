/**
 * The command list. Each module registers one command and must stay light at top level: it imports
 * only commander types and small declarations (flag bounds, exit tables), and loads its src/ module
 * inside the action. They are imported statically: in the bundled CLI (scripts/build.mjs) every
 * registration then sits in the entry file, and a command's run loads only its own chunks.
 */
import type { Command } from 'commander';
import { register as init } from './init.js';
import { register as config } from './config.js';
import { register as synth } from './synth.js';
import { register as diagram } from './diagram.js';
import { register as dashboard } from './dashboard.js';
import { register as cost } from './cost.js';
import { register as check } from './check.js';
import { register as plan } from './plan.js';
import { register as drift } from './drift.js';
import { register as apply } from './apply.js';
import { register as adopt } from './adopt.js';
import { register as destroy } from './destroy.js';
import { register as outputs } from './outputs.js';
import { register as deploy } from './deploy.js';
import { register as rollback } from './rollback.js';
import { register as status } from './status.js';
import { register as health } from './health.js';
import { register as logs } from './logs.js';
import { register as scale } from './scale.js';
import { register as restart } from './restart.js';
import { register as doctor } from './doctor.js';
import { register as runbook } from './runbook.js';
import { register as run } from './run.js';
import { register as revisions } from './revisions.js';
import { register as discover } from './discover.js';
import { register as db } from './db.js';
import { register as sandbox } from './sandbox.js';
import { register as completion } from './completion.js';

export type Register = (program: Command) => void;

export const COMMANDS: Register[] = [
  init,
  config,
  synth,
  diagram,
  dashboard,
  cost,
  check,
  plan,
  drift,
  apply,
  adopt,
  destroy,
  outputs,
  deploy,
  rollback,
  status,
  health,
  logs,
  scale,
  restart,
  doctor,
  runbook,
  run,
  revisions,
  discover,
  db,
  sandbox,
  completion,
];
