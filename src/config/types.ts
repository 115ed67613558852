/** The validated, defaults-filled environment config. Mirrors `schema.ts` field for field. */
export type CpuArchitecture = 'X86_64' | 'ARM64';

export type DeploymentStrategy = 'rolling' | 'blue-green' | 'canary' | 'linear';

/** `services[].deployment` (src/config/deployment-schema.ts). */
export interface DeploymentConfig {
  strategy: DeploymentStrategy;
  canary: { percent: number; bakeMinutes: number };
  linear: { stepPercent: number; stepBakeMinutes: number };
  /** Final bake, minutes. */
  bakeMinutes: number;
  alarms: string[];
  testPath?: string;
  thresholds: { max5xxPercent: number; maxTargetResponseSeconds: number };
}

export interface ServiceConfig {
  name: string;
  /** Always set after loading (default `<app>/<service>`). */
  repository: string;
  imageTag: string;
  port: number;
  cpu: number;
  memory: number;
  cpuArchitecture: CpuArchitecture;
  desiredCount: number;
  minCount: number;
  maxCount: number;
  healthPath: string;
  pathPattern: string;
  environment: Record<string, string>;
  secrets: Record<string, string>;
  logRetentionDays: number;
  healthCheck: {
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
    gracePeriodSeconds: number;
  };
  release: { runFirst?: string; runFirstTimeoutMinutes: number };
  deployment: DeploymentConfig;
  scaling: {
    cpuTargetPercent: number;
    memoryTargetPercent: number;
    scaleOutCooldownSeconds: number;
    scaleInCooldownSeconds: number;
  };
}

export interface EnvironmentConfig {
  name: string;
  app: string;
  region: string;
  account?: string;
  protected: boolean;
  sandbox: boolean;
  domain: { name: string; record: string; zone: 'create' | 'existing'; zoneId?: string };
  network: { cidr: string; azCount: number; nat: 'per-az' | 'single'; flowLogRetentionDays: number };
  database: {
    engine: 'postgresql' | 'mysql';
    /** Always set after loading. */
    version: string;
    databaseName: string;
    masterUsername: string;
    minCapacity: number;
    maxCapacity: number;
    backupRetentionDays: number;
    deletionProtection: boolean;
    snapshotBeforeDeploy: boolean;
    snapshotRetention: { keep: number; maxAgeDays: number };
  };
  cache: {
    nodeType: string;
    engineVersion: string;
    replicas: number;
    transitEncryption: boolean;
    authToken: boolean;
    snapshotRetentionDays: number;
  };
  state: { backend: 's3' | 'local'; bucket?: string; keyPrefix?: string; region?: string; path?: string };
  accessLogs: { retentionDays: number };
  alarms: { emails: string[]; cpuPercent: number; memoryPercent: number; http5xxPercent: number; p95LatencySeconds: number };
  services: ServiceConfig[];
  waivers: { rule: string; resource?: string; reason: string }[];
  /** The real resources of a platform berth did not build (src/config/resource-map-schema.ts); absent on berth's own. */
  resources?: ResourceMap;
}

type Tiers<T> = { public?: T; private?: T; database?: T };

/** One service's pinned resources (keyed by the berth service name in ResourceMap.services). */
export interface ServiceResources {
  service?: string;
  taskFamily?: string;
  container?: string;
  targetGroup?: string;
  logGroup?: string;
  logStreamPrefix?: string;
  listenerRule?: string;
  executionRole?: string;
  taskRole?: string;
}

/** Each role berth knows pinned to the real resource's id (EC2), name, or ARN. Every role optional. */
export interface ResourceMap {
  cluster?: string;
  vpc?: string;
  subnets?: Tiers<string[]>;
  routeTables?: Tiers<string[]>;
  internetGateway?: string;
  natGateways?: string[];
  securityGroups?: { alb?: string; service?: string; database?: string; cache?: string };
  loadBalancer?: { name?: string; arn?: string; httpListener?: string; httpsListener?: string };
  certificate?: string;
  hostedZone?: string;
  database?: { cluster?: string; subnetGroup?: string; writerInstance?: string; secret?: string };
  cache?: { replicationGroup?: string; subnetGroup?: string; secret?: string };
  services?: Record<string, ServiceResources>;
}
