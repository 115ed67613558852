/** The plain data of `berth status`: what gather returns (StatusRaw) and what judge builds (StatusReport). */
import type { TargetTally } from '../ecs/targets.js';
import type { ServiceSnap, TargetSnap } from '../ecs/types.js';
import type { ServiceDeploymentSnap } from '../rollout/release/types.js';

export interface DeploymentStatus {
  id?: string;
  status?: string;
  revision?: number;
  taskDefinition: string;
  image?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  desired: number;
  running: number;
  pending: number;
  failedTasks: number;
  createdAt?: string;
  ageSeconds?: number;
}

export interface ServiceStatus {
  name: string;
  found: boolean;
  status?: string;
  desired: number;
  running: number;
  pending: number;
  taskDefinition?: string;
  deployments: DeploymentStatus[];
  autoscaling: { min: number; max: number } | null;
  events: { at?: string; message: string }[];
  targets: TargetTally | null;
  /** One deployment, COMPLETED, running its desired count, every target healthy (src/ecs/settled.ts). */
  settled: boolean;
  /** A blue/green, canary or linear release in progress (or rolling back): its stage, split and both revisions. */
  release?: ReleaseStatus;
}

export interface ReleaseRevision {
  serviceRevision: string;
  taskDefinition?: string;
  revision?: number;
  image?: string;
  running: number;
  requested: number;
  /** Percent of production traffic ECS sends it. */
  productionWeight?: number;
  testWeight?: number;
}

export interface ReleaseStatus {
  deploymentArn: string;
  strategy?: string;
  status?: string;
  stage?: string;
  startedAt?: string;
  /** Production traffic, percent: to the old revision(s) and to the new one. */
  production: { old: number; new: number };
  old: ReleaseRevision[];
  new?: ReleaseRevision;
}

export interface AlarmStatus {
  name: string;
  state: string;
  reason?: string;
  since?: string;
}

export interface StatusReport {
  environment: string;
  cluster: string;
  at: string;
  services: ServiceStatus[];
  alarms: AlarmStatus[];
  /** Parts that could not be read (permissions, emulator limits); the rest is still shown. */
  notes: string[];
}

export type RawAlarm = { AlarmName?: string; StateValue?: string; StateReason?: string; StateUpdatedTimestamp?: Date | string };

export interface RawService {
  name: string;
  snap?: ServiceSnap;
  targets?: TargetSnap[] | null;
  range?: { min: number; max: number };
  release?: RawRelease;
}

/** A release in progress as ECS describes it, with the task definition of each service revision. */
export interface RawRelease {
  deployment: ServiceDeploymentSnap;
  taskDefinitions: Record<string, string>;
}

export interface StatusRaw {
  environment: string;
  cluster: string;
  services: RawService[];
  images: Record<string, string | undefined>;
  alarms: RawAlarm[];
  notes: string[];
}
