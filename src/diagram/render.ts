/** One entry point per output format; every format carries berth's mark so `--out` may replace it later. */
import { layoutDiagram } from './layout.js';
import { DRAWIO_AGENT, renderDrawio } from './drawio.js';
import { HTML_MARK, renderHtml } from './html.js';
import { MERMAID_MARK, renderMermaid } from './mermaid.js';
import type { Diagram } from './model.js';
import { renderSvg, SVG_MARK } from './svg.js';

export const DIAGRAM_FORMATS = ['mermaid', 'drawio', 'svg', 'html'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export async function renderDiagram(d: Diagram, format: DiagramFormat): Promise<string> {
  if (format === 'mermaid') return renderMermaid(d);
  const laid = await layoutDiagram(d);
  if (format === 'drawio') return renderDrawio(d, laid);
  if (format === 'svg') return renderSvg(d, laid);
  return renderHtml(d, laid);
}

/** Whether a file's text is one berth diagram wrote (any format). */
export function isBerthDiagram(text: string): boolean {
  const head = text.slice(0, 400);
  return head.includes(MERMAID_MARK) || head.includes(`agent="${DRAWIO_AGENT}"`) || head.includes(SVG_MARK) || head.includes(HTML_MARK);
}
