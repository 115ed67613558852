/**
 * `--cpu` / `--memory` of a one-off task: checked against Fargate's table of task sizes before any
 * AWS call (RunTask would refuse the pair). Pure.
 */
import { FARGATE, summarise } from '../config/load.js';
import { ERROR_CODES, UsageError } from '../output/errors.js';

export interface TaskSize {
  cpu?: number;
  memory?: number;
}

function whole(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()))
    throw new UsageError(
      `${flag} "${v}": expected a whole number (${flag === '--cpu' ? 'CPU units, e.g. 1024 for 1 vCPU' : 'MiB, e.g. 2048'}).`,
      { code: ERROR_CODES.flagFormat },
    );
  return Number(v);
}

/**
 * The task-level cpu/memory override, or {} for none. Either may be given alone: the other comes
 * from the task definition (`base`), and the resulting pair must be a valid Fargate size.
 */
export function taskSize(flags: { cpu?: string; memory?: string }, base?: { cpu?: number; memory?: number }): TaskSize {
  const cpu = whole('--cpu', flags.cpu);
  const memory = whole('--memory', flags.memory);
  if (cpu === undefined && memory === undefined) return {};
  if (cpu !== undefined && !FARGATE[cpu])
    throw new UsageError(`--cpu ${cpu}: Fargate takes ${Object.keys(FARGATE).join(', ')} CPU units.`, {
      code: ERROR_CODES.flagRange,
      details: { valid: Object.keys(FARGATE).map(Number) },
    });
  const c = cpu ?? base?.cpu;
  const m = memory ?? base?.memory;
  if (c !== undefined && m !== undefined && FARGATE[c] && !FARGATE[c]!.includes(m)) {
    const which = memory !== undefined ? `--memory ${m}` : `the task definition's memory ${m}`;
    throw new UsageError(
      `${which} does not go with ${cpu !== undefined ? '--cpu' : "the task definition's cpu"} ${c} on Fargate: valid memory for ` +
        `cpu ${c} is ${summarise(FARGATE[c]!)} MiB.`,
      {
        code: ERROR_CODES.flagCombination,
        hint: 'See the Fargate task size table (AWS docs, "Task CPU and memory").',
        details: { cpu: c, validMemory: FARGATE[c] },
      },
    );
  }
  if (memory !== undefined && cpu === undefined && base?.cpu === undefined && !Object.values(FARGATE).some((ms) => ms.includes(memory)))
    throw new UsageError(`--memory ${memory}: no Fargate task size has that much memory (512 to 122880 MiB, in the steps of each cpu).`, {
      code: ERROR_CODES.flagRange,
    });
  return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
}
