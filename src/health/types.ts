/** The plain data of `berth health`: what gather returns (HealthRaw) and what judge builds (HealthReport). */
import type { HttpResult } from '../http/check.js';

export interface TargetLine {
  id: string;
  port?: number;
  state: string;
  reason?: string;
  description?: string;
}

export interface CertificateInfo {
  source: 'tls' | 'acm';
  notAfter: string;
  daysLeft: number;
  arn?: string;
  status?: string;
}

export interface ServiceHealth {
  service: string;
  healthy: boolean;
  problems: string[];
  warnings: string[];
  /** null: the service has no load balancer (or was not found). */
  targets: TargetLine[] | null;
  http: HttpResult & { requestUrl?: string };
  certificate?: CertificateInfo;
}

export interface HealthReport {
  environment: string;
  healthy: boolean;
  services: ServiceHealth[];
}

/** What judgeHealth needs of one service. */
export interface HealthInput {
  service: string;
  found: boolean;
  targets: TargetLine[] | null;
  http: HttpResult;
  certificate?: CertificateInfo;
  healthPath?: string;
}

/** One service as gathered: the judge's input and, when it differs from the public URL, the URL actually requested. */
export type GatheredService = HealthInput & { requestUrl?: string };

export interface HealthRaw {
  environment: string;
  services: GatheredService[];
}
