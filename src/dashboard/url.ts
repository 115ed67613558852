/** The console address of an environment's CloudWatch dashboard (pure: no AWS call). */
import { names } from '../config/names.js';
import type { EnvironmentConfig } from '../config/types.js';

export interface DashboardLink {
  name: string;
  region: string;
  url: string;
}

export function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `${region}.console.amazonaws-us-gov.com`;
  return `${region}.console.aws.amazon.com`;
}

export function dashboardLink(env: EnvironmentConfig): DashboardLink {
  const name = names(env).dashboard;
  const url = `https://${consoleHost(env.region)}/cloudwatch/home?region=${env.region}#dashboards/dashboard/${encodeURIComponent(name)}`;
  return { name, region: env.region, url };
}
