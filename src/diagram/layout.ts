/**
 * Positions for the diagram model, computed by dagre (@dagrejs/dagre) in Node: boxes for nodes and
 * groups (compound graph), polylines and label points for edges. Deterministic: the same model gives
 * the same coordinates. Text is measured by an average glyph width (no browser is needed).
 */
import type { Diagram } from './model.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Laid {
  width: number;
  height: number;
  nodes: Map<string, Box>;
  groups: Map<string, Box>;
  edges: { points: { x: number; y: number }[]; labelAt?: { x: number; y: number } }[];
}

export const FONT_SIZE = 12;
export const LINE_HEIGHT = 16;
const CHAR_WIDTH = 7.2;
/** The node title: bold, one point larger. */
const BOLD_CHAR_WIDTH = 8.6;
const PAD = 12;

export function textWidth(s: string, size = FONT_SIZE): number {
  return Math.ceil(s.length * CHAR_WIDTH * (size / FONT_SIZE));
}

export function nodeSize(label: string, lines: string[]): { width: number; height: number } {
  const width = Math.max(Math.ceil(label.length * BOLD_CHAR_WIDTH), ...lines.map((l) => textWidth(l))) + 2 * PAD;
  return { width: Math.max(width, 110), height: (1 + lines.length) * LINE_HEIGHT + 2 * PAD - 4 };
}

export async function layoutDiagram(d: Diagram): Promise<Laid> {
  const dagre = (await import('@dagrejs/dagre')).default;
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 46, ranksep: 70, edgesep: 16, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const grp of d.groups) g.setNode(grp.id, { label: grp.label, paddingTop: 28, paddingLeft: 14, paddingRight: 14, paddingBottom: 14 });
  for (const grp of d.groups) if (grp.parent) g.setParent(grp.id, grp.parent);
  for (const n of d.nodes) {
    g.setNode(n.id, nodeSize(n.label, n.lines));
    if (n.parent) g.setParent(n.id, n.parent);
  }
  d.edges.forEach((e, i) => g.setEdge(e.from, e.to, { width: textWidth(e.label, 11) + 8, height: 14, labelpos: 'c' }, `e${i}`));
  dagre.layout(g);
  const box = (id: string): Box => {
    const v = g.node(id) as { x: number; y: number; width: number; height: number };
    return { x: v.x - v.width / 2, y: v.y - v.height / 2, width: v.width, height: v.height };
  };
  const graph = g.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: new Map(d.nodes.map((n) => [n.id, box(n.id)])),
    groups: new Map(d.groups.map((grp) => [grp.id, box(grp.id)])),
    edges: d.edges.map((e, i) => {
      const v = g.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points: { x: number; y: number }[]; x?: number; y?: number };
      return { points: v.points, labelAt: v.x !== undefined && v.y !== undefined ? { x: v.x, y: v.y } : undefined };
    }),
  };
}
