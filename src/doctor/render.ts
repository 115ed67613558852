/** The human rendering of a doctor report: per group, one line per finding; evidence and fix for WARN and FAIL. */
import type { DoctorReport } from './run.js';
import type { Evidence, Finding, Status } from './types.js';

type Paint = (style: 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'bold', s: string) => string;

const STYLE: Record<Status, 'green' | 'yellow' | 'red'> = { PASS: 'green', WARN: 'yellow', FAIL: 'red' };

function evidenceLines(e: Evidence): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (v === null || v === undefined || (Array.isArray(v) && !v.length)) continue;
    if (Array.isArray(v)) {
      const items = (v as (string | number)[]).map(String);
      if (items.join(', ').length <= 90) out.push(`${k}: ${items.join(', ')}`);
      else {
        out.push(`${k}:`);
        for (const i of items) out.push(`  - ${i}`);
      }
    } else out.push(`${k}: ${String(v)}`);
  }
  return out;
}

export function renderFinding(f: Finding, paint: Paint, verbose = false): string[] {
  const width = 32;
  const head = `  ${paint(STYLE[f.status], f.status.padEnd(4))}  ${f.check.padEnd(width)} ${f.message}`;
  const lines = [head];
  if (f.status === 'PASS' && !verbose) return lines;
  const pad = ' '.repeat(8);
  for (const l of evidenceLines(f.evidence)) lines.push(pad + paint('dim', l));
  if (f.fix?.commands?.length) {
    lines.push(pad + paint('bold', 'fix:'));
    for (const c of f.fix.commands) lines.push(pad + '  ' + paint('cyan', c));
  }
  if (f.fix?.config) lines.push(pad + paint('bold', 'config: ') + f.fix.config);
  if (f.fix?.note) lines.push(pad + paint('bold', 'note: ') + f.fix.note);
  if (f.see?.length) lines.push(pad + paint('dim', `see: ${f.see.join(', ')}`));
  return lines;
}

export function renderReport(r: DoctorReport, paint: Paint, opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  const where = r.endpoint ? `${r.region} via ${r.endpoint}` : r.region;
  lines.push(paint('bold', `berth doctor: ${r.environment} (${r.app}, ${where}), services ${r.services.join(', ')}`));
  if (r.platform === 'discovered')
    lines.push(paint('dim', "a discovered platform, not under berth's stacks: fixes are AWS CLI commands on its real resources"));
  if (r.platform === 'adopted')
    lines.push(paint('dim', "an adopted platform: berth's stacks own it, so fixes go through berth plan / berth apply"));
  for (const g of r.groups) {
    lines.push('');
    lines.push(`${paint('bold', g.name)} ${paint('dim', `— ${g.title} (${(g.durationMs / 1000).toFixed(1)} s)`)}`);
    for (const f of r.findings.filter((x) => x.group === g.name)) lines.push(...renderFinding(f, paint, opts.verbose));
  }
  lines.push('');
  const s = r.summary;
  const tally = `${paint('green', `${s.pass} PASS`)}  ${paint('yellow', `${s.warn} WARN`)}  ${paint('red', `${s.fail} FAIL`)}`;
  lines.push(`${tally}  in ${(r.durationMs / 1000).toFixed(1)} s${s.fail ? `  (exit ${r.exitCode})` : ''}`);
  if (s.fail) lines.push(paint('dim', 'Runbooks that walk through these: berth runbook'));
  if (r.error) {
    lines.push(paint('red', `could not read the account (${r.error.code}, exit ${r.error.exitCode}): ${r.error.message}`));
    if (r.error.hint) lines.push(paint('dim', `hint: ${r.error.hint}`));
  }
  const awsFix = r.findings.some((f) => f.status !== 'PASS' && f.fix?.commands?.some((c) => c.startsWith('aws ')));
  if (r.endpoint && awsFix)
    lines.push(
      paint(
        'dim',
        `The aws fixes above, against this emulator: add --endpoint-url ${r.endpoint} (credentials: the sandbox's fake ones, as \`berth sandbox up\` printed them).`,
      ),
    );
  return lines.join('\n');
}
