/**
 * The rendered diagrams checked by the tools that read them: Mermaid's own parser and the browser's
 * XML parser (inside headless Chromium, which gives mermaid the DOM it needs), and the HTML page
 * opened and screenshotted in headless Chromium, every service name found in its DOM.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { chromium } from './chromium.js';

const ENVS = ['platform', 'two-service', 'sandbox'];
const tmp = tempProject('berth-diagram-');
const envFile = (name: string) => join(process.cwd(), 'templates', 'environments', `${name}.json`);
const out: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  for (const name of ENVS) {
    out[name] = {};
    for (const format of ['mermaid', 'drawio', 'html']) {
      const file = join(tmp.dir, `${name}.${format}`);
      const r = await runCli(['diagram', '--env', envFile(name), '--format', format, '--out', file], { project: tmp.dir });
      expect(r.code, r.stderr).toBe(0);
      out[name]![format] = readFileSync(file, 'utf8');
    }
  }
});
afterAll(() => tmp.cleanup());

describe('berth diagram output', () => {
  it("Mermaid's parser accepts every flowchart, and the browser parses every draw.io file as well-formed XML", async () => {
    const mermaidJs = pathToFileURL(join(process.cwd(), 'node_modules', 'mermaid', 'dist', 'mermaid.min.js')).href;
    const data: Record<string, { mermaid: string; drawio: string }> = Object.fromEntries(
      ENVS.map((n) => [n, { mermaid: out[n]!.mermaid, drawio: out[n]!.drawio }]),
    );
    // The checks can fail: a broken flowchart and a broken XML file are rejected by the same page.
    data['broken'] = { mermaid: 'flowchart TB\n  a["x"] -->|"unclosed| b\n  subgraph', drawio: '<mxfile><diagram></mxfile>' };
    const page = join(tmp.dir, 'parse.html');
    writeFileSync(
      page,
      `<!DOCTYPE html><html><body><pre id="r">pending</pre><script src="${mermaidJs}"></script><script>
const DATA = ${JSON.stringify(data).replace(/</g, '\\u003c')};
(async () => {
  const res = {};
  for (const [name, d] of Object.entries(DATA)) {
    try { res[name + ':mermaid'] = (await mermaid.parse(d.mermaid)) ? 'ok' : 'rejected'; }
    catch (e) { res[name + ':mermaid'] = String(e.message || e); }
    const doc = new DOMParser().parseFromString(d.drawio, 'application/xml');
    res[name + ':drawio'] = doc.getElementsByTagName('parsererror').length ? doc.getElementsByTagName('parsererror')[0].textContent
      : doc.documentElement.nodeName + ' ' + doc.getElementsByTagName('mxCell').length;
  }
  document.getElementById('r').textContent = JSON.stringify(res);
})();</script></body></html>`,
    );
    const dom = await chromium(['--allow-file-access-from-files', '--virtual-time-budget=20000', '--dump-dom', pathToFileURL(page).href]);
    const m = /<pre id="r">([^<]*)<\/pre>/.exec(dom);
    const res = JSON.parse(m![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, string>;
    expect(res['broken:mermaid']).not.toBe('ok');
    expect(res['broken:drawio']).not.toMatch(/^mxfile/);
    for (const n of ENVS) {
      expect(res[`${n}:mermaid`], n).toBe('ok');
      expect(res[`${n}:drawio`], n).toMatch(/^mxfile \d+$/);
      expect(Number(res[`${n}:drawio`]!.split(' ')[1])).toBeGreaterThan(20);
    }
  });

  it('the HTML page opens in headless Chromium: its screenshot is drawn and its DOM names every service', async () => {
    for (const name of ['two-service', 'sandbox']) {
      const page = pathToFileURL(join(tmp.dir, `${name}.html`)).href;
      const shot = join(tmp.dir, `${name}.png`);
      // One browser start for both: the screenshot is written to its file, the DOM to stdout.
      const dom = await chromium([`--screenshot=${shot}`, '--window-size=2600,1500', '--dump-dom', page]);
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      const texts = [...dom.matchAll(/<tspan[^>]*font-weight="bold"[^>]*>([^<]*)<\/tspan>/g)].map((x) => x[1]);
      const services = (JSON.parse(readFileSync(envFile(name), 'utf8')) as { services: { name: string }[] }).services.map((s) => s.name);
      for (const s of services) expect(texts, `${name}: ${s}`).toContain(s);
      expect(dom).toContain('<svg');
    }
  });

  it('writes only a new file or one it wrote; refuses another file with exit 2, unchanged', async () => {
    const stdout = await runCli(['diagram', '--env', envFile('platform')], { project: tmp.dir });
    expect(stdout.stdout).toBe(out['platform']!.mermaid);
    const mine = join(tmp.dir, 'platform.mermaid');
    const again = await runCli(['diagram', '--env', envFile('platform'), '--out', mine], { project: tmp.dir });
    expect(again.code).toBe(0);
    const foreign = join(tmp.dir, 'notes.md');
    writeFileSync(foreign, '# my notes\n');
    for (const json of [false, true]) {
      const r = await runCli(['diagram', '--env', envFile('platform'), '--out', foreign, ...(json ? ['--json'] : [])], {
        project: tmp.dir,
      });
      expect(r.code).toBe(2);
      expect(readFileSync(foreign, 'utf8')).toBe('# my notes\n');
      if (json) expect(JSON.parse(r.stdout).error.exitCode).toBe(2);
    }
    const bad = await runCli(['diagram', '--env', envFile('platform'), '--format', 'png'], { project: tmp.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format "png"');
  });
});
