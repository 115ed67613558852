/**
 * Is process `pid` still running? (Signal 0: nothing is sent; EPERM means it runs under another user.)
 * Here, at the bottom layer, because both the sandbox (its emulator's PID) and synth (a killed run's
 * staging folder, stacks/synth.ts) ask it, and stacks/ may import only src/config.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
