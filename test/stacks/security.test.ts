import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environment, synth, type Synthed } from './helpers.js';

let platform: Synthed;
let two: Synthed;

beforeAll(async () => {
  platform = await synth(environment('platform'));
  two = await synth(environment('two-service'));
});
afterAll(() => [platform, two].forEach((s) => s?.cleanup()));

/** Every rule as "<group> <in|out> <port> <peer>", peers being a group key or a CIDR. */
function rules(s: Synthed): string[] {
  const group = (expr: string) => /aws_security_group\.security_(\w+)\.id/.exec(expr)?.[1] ?? `?${expr}`;
  const out: string[] = [];
  for (const [type, dir] of [
    ['aws_vpc_security_group_ingress_rule', 'in'],
    ['aws_vpc_security_group_egress_rule', 'out'],
  ] as const) {
    for (const r of Object.values(s.resources('security', type))) {
      expect(r.from_port).toBe(r.to_port);
      expect(r.ip_protocol).toBe('tcp');
      expect(typeof r.description === 'string' && r.description.length > 5, `description of ${JSON.stringify(r)}`).toBe(true);
      const peer = r.cidr_ipv4 ?? (r.referenced_security_group_id ? group(r.referenced_security_group_id) : undefined);
      expect(peer, 'a rule has exactly one peer').toBeDefined();
      expect(r.cidr_ipv4 && r.referenced_security_group_id).toBeFalsy();
      expect(r.cidr_ipv6).toBeUndefined();
      expect(r.prefix_list_id).toBeUndefined();
      out.push(`${group(r.security_group_id)} ${dir} ${r.from_port} ${peer}`);
    }
  }
  return out.sort();
}

describe('security stack', () => {
  it("creates the alb/app/db/cache groups under their names.ts names, in the network stack's VPC, with no inline rules", () => {
    const groups = platform.resources('security', 'aws_security_group');
    expect(Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, g.name]))).toEqual({
      security_alb: 'chatbot-platform-alb',
      security_app: 'chatbot-platform-app',
      security_db: 'chatbot-platform-db',
      security_cache: 'chatbot-platform-cache',
    });
    for (const g of Object.values(groups)) {
      expect(platform.ref('security', g.vpc_id)).toBe('network:${aws_vpc.network_vpc.id}');
      expect(g.ingress).toBeUndefined();
      expect(g.egress).toBeUndefined();
      expect(g.description).toBeTruthy();
    }
  });

  it('has exactly the specified rules (PostgreSQL, one service on 8001)', () => {
    expect(rules(platform)).toEqual(
      [
        'alb in 80 0.0.0.0/0',
        'alb in 443 0.0.0.0/0',
        'alb out 8001 app',
        'app in 8001 alb',
        'app out 443 0.0.0.0/0',
        'app out 5432 db',
        'app out 6379 cache',
        'db in 5432 app',
        'cache in 6379 app',
      ].sort(),
    );
  });

  it('has exactly the specified rules (MySQL, two services on 8501 and 8000)', () => {
    expect(rules(two)).toEqual(
      [
        'alb in 80 0.0.0.0/0',
        'alb in 443 0.0.0.0/0',
        'alb out 8000 app',
        'alb out 8501 app',
        'app in 8000 alb',
        'app in 8501 alb',
        'app out 443 0.0.0.0/0',
        'app out 3306 db',
        'app out 6379 cache',
        'db in 3306 app',
        'cache in 6379 app',
      ].sort(),
    );
  });

  it('lets nothing but the app group reach the data tier, and gives the data tier no egress', () => {
    for (const s of [platform, two]) {
      const all = rules(s);
      for (const r of all) {
        const [g, dir, port, peer] = r.split(' ');
        if (g === 'db' || g === 'cache') {
          expect(dir, r).toBe('in');
          expect(peer, r).toBe('app');
        }
        if (['5432', '3306', '6379'].includes(port!)) expect(peer, r).not.toBe('0.0.0.0/0');
      }
    }
  });
});
