/**
 * The command list: each command's name and its registration. A run of one command (`berth status
 * ...`) registers only that command (cli/index.ts); help, completion and anything unknown register
 * them all, in this order. Each module registers one command and must stay light at top level: it
 * imports only commander types and small declarations (flag bounds, exit tables), and loads its src/
 * module inside the action. They are imported statically: in the bundled CLI (scripts/build.mjs)
 * every registration then sits in the entry file (one file read, however many commands), and a
 * command's run loads only its own chunks.
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

export interface CommandEntry {
  name: string;
  register: Register;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'init', register: init },
  { name: 'config', register: config },
  { name: 'synth', register: synth },
  { name: 'diagram', register: diagram },
  { name: 'dashboard', register: dashboard },
  { name: 'cost', register: cost },
  { name: 'check', register: check },
  { name: 'plan', register: plan },
  { name: 'drift', register: drift },
  { name: 'apply', register: apply },
  { name: 'adopt', register: adopt },
  { name: 'destroy', register: destroy },
  { name: 'outputs', register: outputs },
  { name: 'deploy', register: deploy },
  { name: 'rollback', register: rollback },
  { name: 'status', register: status },
  { name: 'health', register: health },
  { name: 'logs', register: logs },
  { name: 'scale', register: scale },
  { name: 'restart', register: restart },
  { name: 'doctor', register: doctor },
  { name: 'runbook', register: runbook },
  { name: 'run', register: run },
  { name: 'revisions', register: revisions },
  { name: 'discover', register: discover },
  { name: 'db', register: db },
  { name: 'sandbox', register: sandbox },
  { name: 'completion', register: completion },
];
