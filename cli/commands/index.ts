/**
 * The command list. Each module registers one command and must stay light at top level:
 * it imports only commander types and loads its src/ module inside the action.
 */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

export const COMMAND_MODULES: Array<() => Promise<{ register: Register }>> = [
  () => import('./init.js'),
  () => import('./config.js'),
  () => import('./synth.js'),
  () => import('./diagram.js'),
  () => import('./dashboard.js'),
  () => import('./cost.js'),
  () => import('./check.js'),
  () => import('./plan.js'),
  () => import('./drift.js'),
  () => import('./apply.js'),
  () => import('./destroy.js'),
  () => import('./outputs.js'),
  () => import('./deploy.js'),
  () => import('./rollback.js'),
  () => import('./status.js'),
  () => import('./health.js'),
  () => import('./logs.js'),
  () => import('./scale.js'),
  () => import('./restart.js'),
  () => import('./doctor.js'),
  () => import('./runbook.js'),
  () => import('./run.js'),
  () => import('./revisions.js'),
  () => import('./db.js'),
  () => import('./sandbox.js'),
  () => import('./completion.js'),
];
