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
];
