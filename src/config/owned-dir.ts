/**
 * berth owns what it writes. Every command that writes files asks this module first:
 *
 * - a directory berth may write into is berth's own (`.berth/`, `cdktf.out/<env>/` of the project),
 *   or one the user named that is new or empty, or one berth wrote before (it holds OWNER_FILE, the
 *   list of what berth wrote there);
 * - berth deletes only what that list names (or, in its own directories, what it generates);
 * - a single file (plan --markdown) is new, or one berth wrote before (listed in .berth/owned-files.json);
 * - anything else (the project folder, a non-empty folder, a file where a folder is expected, a
 *   device, a folder berth cannot write): a usage error, exit 2, before anything is written.
 *
 * Directories are created one level at a time, never with a recursive mkdir (which spins forever on
 * some pseudo file systems such as /proc).
 */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { paths, projectDir } from './paths.js';

export const OWNER_FILE = '.berth-owned.json';
const OWNED_FILES = 'owned-files.json';

export interface OwnedDir {
  dir: string;
  /** Relative paths berth wrote here last time (from OWNER_FILE), or undefined for a new/empty folder. */
  previous?: string[];
  /** berth's own folder (cdktf.out/<env>, .berth/...): what berth generates there is its own. */
  berths: boolean;
}

const within = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** Is `dir` inside a folder berth owns in the project (.berth/ or cdktf.out/)? */
export function isBerthDirectory(dir: string, project = projectDir()): boolean {
  const abs = resolve(dir);
  return [paths.berthDir(project), join(project, 'cdktf.out')].some((root) => abs !== root && within(abs, root));
}

function refuse(code: string, message: string, hint?: string): never {
  throw new UsageError(message, {
    code,
    hint: hint ?? "Name a new or empty folder (or leave the option out for berth's own folder); nothing was written.",
  });
}

/** Check (and create) an output folder before anything is written into it. */
export function claimOutputDir(target: string, flag: string, project = projectDir()): OwnedDir {
  if (!target.trim()) refuse(ERROR_CODES.flagFormat, `${flag} "${target}": expected a folder name, found an empty string.`);
  const dir = resolve(target);
  const berths = isBerthDirectory(dir, project);
  if (within(project, dir))
    refuse(
      ERROR_CODES.outputNotOwned,
      `${flag} "${target}" is the project folder (or holds it); ` +
        'expected a new or empty folder (berth writes only into a folder of its own or one like that).',
    );
  if (!existsSync(dir) && !isLink(dir)) {
    createDirs(dir, flag, target);
    return { dir, berths };
  }
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) refuse(ERROR_CODES.outputNotDirectory, `${flag} "${target}" is a symbolic link: expected a real folder.`);
  if (!st.isDirectory())
    refuse(ERROR_CODES.outputNotDirectory, `${flag} "${target}" is not a folder (it is ${kindOf(st)}); expected a new or empty folder.`);
  mustWrite(dir, flag, target);
  const entries = readdirSync(dir);
  if (entries.includes(OWNER_FILE)) return { dir, previous: readOwner(dir), berths };
  if (entries.length === 0 || berths) return { dir, berths };
  return refuse(
    ERROR_CODES.outputNotOwned,
    `${flag} "${target}" holds ${entries.length} file${entries.length === 1 ? '' : 's'} berth did not write ` +
      `(${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); expected a new or empty folder.`,
  );
}

/** Record what berth wrote in `dir` (relative paths), so a later run may replace exactly those. */
export function recordOwned(owned: OwnedDir, written: string[]): void {
  const files = [...new Set(written)].sort();
  // Through a temporary file renamed into place: a concurrent run reads the old record or the new one.
  const file = join(owned.dir, OWNER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ writtenBy: 'berth', files }, null, 2) + '\n');
  renameSync(tmp, file);
}

/** May berth delete `rel` (a path relative to the folder)? */
export function mayDelete(owned: OwnedDir, rel: string): boolean {
  if (owned.berths) return true;
  return Boolean(owned.previous?.some((p) => rel === p || rel.startsWith(p + '/')));
}

function readOwner(dir: string): string[] {
  try {
    const doc = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as { files?: unknown };
    return Array.isArray(doc.files) ? doc.files.filter((f): f is string => typeof f === 'string' && !f.includes('..')) : [];
  } catch {
    return [];
  }
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isFile()) return 'a file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a folder';
}

function mustWrite(dir: string, flag: string, target: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    refuse(
      ERROR_CODES.outputNotWritable,
      `${flag} "${target}": berth may not write into ${dir}; expected a folder it can write.`,
      'Check its permissions, or name another folder; nothing was written.',
    );
  }
}

/** mkdir one level at a time from the nearest existing ancestor; any failure is the user's folder problem. */
function createDirs(dir: string, flag: string, target: string): void {
  const missing: string[] = [];
  let cur = dir;
  while (!existsSync(cur)) {
    if (isLink(cur)) refuse(ERROR_CODES.outputNotDirectory, `${flag} "${target}": ${cur} is a dangling symbolic link; expected a folder.`);
    missing.unshift(cur);
    const up = dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  const st = lstatSync(cur);
  if (!st.isDirectory())
    refuse(
      ERROR_CODES.outputNotDirectory,
      `${flag} "${target}": ${cur} is not a folder (it is ${kindOf(st)}); expected a folder to create ${target} in.`,
    );
  mustWrite(cur, flag, target);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      refuse(
        ERROR_CODES.outputNotWritable,
        `${flag} "${target}": cannot create ${d} (${(e as NodeJS.ErrnoException).code ?? 'error'}); expected a folder berth can create.`,
      );
    }
  }
}

/**
 * A single output file (plan --markdown): new, or one berth wrote before. Checked before the command
 * does any work; call recordOwnedFile() after writing it.
 */
export function claimOutputFile(target: string, flag: string, project = projectDir()): string {
  if (!target.trim()) refuse(ERROR_CODES.flagFormat, `${flag} "${target}": expected a file name, found an empty string.`);
  const file = resolve(target);
  if (existsSync(file) || isLink(file)) {
    const st = lstatSync(file);
    if (!st.isFile())
      refuse(
        ERROR_CODES.outputNotDirectory,
        `${flag} "${target}" is not a regular file (it is ${st.isDirectory() ? 'a folder' : kindOf(st)}); expected a new file.`,
      );
    if (!ownedFiles(project).includes(file) && !isBerthDirectory(dirname(file), project))
      refuse(
        ERROR_CODES.outputNotOwned,
        `${flag} "${target}" exists and berth did not write it; expected a new file.`,
        'Name a new file, or remove this one yourself; nothing was written.',
      );
  }
  const parent = dirname(file);
  if (!existsSync(parent))
    refuse(
      ERROR_CODES.outputNotDirectory,
      `${flag} "${target}": the folder ${parent} does not exist; expected a file in an existing folder.`,
    );
  if (!lstatSync(parent).isDirectory()) refuse(ERROR_CODES.outputNotDirectory, `${flag} "${target}": ${parent} is not a folder.`);
  mustWrite(parent, flag, target);
  return file;
}

function ownedFilesPath(project: string): string {
  return join(paths.berthDir(project), OWNED_FILES);
}

function ownedFiles(project: string): string[] {
  try {
    const doc = JSON.parse(readFileSync(ownedFilesPath(project), 'utf8')) as { files?: unknown };
    return Array.isArray(doc.files) ? doc.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/** Did berth write `file` (recorded in .berth/owned-files.json)? */
export function isOwnedFile(file: string, project = projectDir()): boolean {
  return ownedFiles(project).includes(resolve(file));
}

/** Remember that berth wrote `file` (absolute), so a later run may overwrite it. */
export function recordOwnedFile(file: string, project = projectDir()): void {
  const files = [...new Set([...ownedFiles(project), resolve(file)])].sort();
  const berthDir = paths.berthDir(project);
  if (!existsSync(berthDir)) mkdirSync(berthDir);
  writeFileSync(ownedFilesPath(project), JSON.stringify({ writtenBy: 'berth', files }, null, 2) + '\n');
}
