/**
 * The diagram as a draw.io file (mxfile XML), positioned by the same dagre layout as the SVG. Child
 * geometry is relative to its container, as draw.io expects.
 */
import type { Laid } from './layout.js';
import type { Diagram } from './model.js';
import { EDGE_COLOURS, NODE_COLOURS, xmlEscape } from './style.js';

export const DRAWIO_AGENT = 'berth diagram';

export function renderDrawio(d: Diagram, laid: Laid): string {
  const parentBox = (parent: string | undefined) => (parent ? laid.groups.get(parent)! : { x: 0, y: 0 });
  const id = (s: string) => `b-${s}`;
  const cells = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>'];
  for (const grp of d.groups) {
    const b = laid.groups.get(grp.id)!;
    const p = parentBox(grp.parent);
    cells.push(
      `<mxCell id="${id(grp.id)}" value="${xmlEscape(grp.label)}" style="rounded=1;arcSize=3;whiteSpace=wrap;html=0;` +
        'verticalAlign=top;align=left;spacingLeft=8;' +
        'fontStyle=1;fillColor=#f6f8fa;strokeColor=#8c959f;container=1;collapsible=0;" ' +
        `vertex="1" parent="${grp.parent ? id(grp.parent) : '1'}">` +
        geometry(b.x - p.x, b.y - p.y, b.width, b.height) +
        '</mxCell>',
    );
  }
  for (const n of d.nodes) {
    const b = laid.nodes.get(n.id)!;
    const p = parentBox(n.parent);
    const c = NODE_COLOURS[n.kind];
    const value = [n.label, ...n.lines].join('\n');
    cells.push(
      `<mxCell id="${id(n.id)}" value="${xmlEscape(value)}" ` +
        `style="rounded=1;whiteSpace=wrap;html=0;align=left;spacingLeft=8;fillColor=${c.fill};strokeColor=${c.stroke};" ` +
        `vertex="1" parent="${n.parent ? id(n.parent) : '1'}">` +
        geometry(b.x - p.x, b.y - p.y, b.width, b.height) +
        '</mxCell>',
    );
  }
  d.edges.forEach((e, i) => {
    const c = EDGE_COLOURS[e.kind];
    cells.push(
      `<mxCell id="b-edge-${i}" value="${xmlEscape(e.label)}" ` +
        `style="edgeStyle=orthogonalEdgeStyle;rounded=1;html=0;strokeColor=${c.stroke};dashed=${c.dashed ? 1 : 0};fontSize=10;" ` +
        `edge="1" parent="1" source="${id(e.from)}" target="${id(e.to)}"><mxGeometry relative="1" as="geometry"/></mxCell>`,
    );
  });
  return (
    [
      `<mxfile host="berth" agent="${DRAWIO_AGENT}" version="24.0.0">`,
      `  <diagram id="berth" name="${xmlEscape(d.title)}">`,
      `    <mxGraphModel dx="${laid.width}" dy="${laid.height}" grid="0" gridSize="10" guides="1" page="0" math="0" shadow="0">`,
      '      <root>',
      ...cells.map((c) => `        ${c}`),
      '      </root>',
      '    </mxGraphModel>',
      '  </diagram>',
      '</mxfile>',
    ].join('\n') + '\n'
  );
}

function geometry(x: number, y: number, w: number, h: number): string {
  const r = (n: number) => Math.round(n);
  return `<mxGeometry x="${r(x)}" y="${r(y)}" width="${r(w)}" height="${r(h)}" as="geometry"/>`;
}
