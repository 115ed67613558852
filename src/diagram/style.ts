/** Colours per node kind and per edge kind, shared by the SVG and draw.io renderers. */
import type { EdgeKind, NodeKind } from './model.js';

export const NODE_COLOURS: Record<NodeKind, { fill: string; stroke: string }> = {
  internet: { fill: '#f6f8fa', stroke: '#57606a' },
  dns: { fill: '#eaf5ea', stroke: '#1a7f37' },
  certificate: { fill: '#eaf5ea', stroke: '#1a7f37' },
  listener: { fill: '#fff4e5', stroke: '#d4a72c' },
  service: { fill: '#e8f1fb', stroke: '#1f6feb' },
  subnet: { fill: '#ffffff', stroke: '#8c959f' },
  nat: { fill: '#f6f8fa', stroke: '#57606a' },
  database: { fill: '#f3ecfb', stroke: '#8250df' },
  cache: { fill: '#fbeff2', stroke: '#cf222e' },
  secret: { fill: '#fff8e5', stroke: '#9a6700' },
  alarms: { fill: '#fdf0e6', stroke: '#bc4c00' },
  topic: { fill: '#fdf0e6', stroke: '#bc4c00' },
};

export const EDGE_COLOURS: Record<EdgeKind, { stroke: string; dashed: boolean }> = {
  traffic: { stroke: '#1f6feb', dashed: false },
  dns: { stroke: '#1a7f37', dashed: true },
  tls: { stroke: '#1a7f37', dashed: true },
  egress: { stroke: '#57606a', dashed: true },
  notify: { stroke: '#bc4c00', dashed: false },
  secret: { stroke: '#9a6700', dashed: true },
};

export const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
