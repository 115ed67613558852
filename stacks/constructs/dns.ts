/**
 * The public name: the Route 53 hosted zone (created, or an existing one looked up by id) and an
 * ACM certificate for `names(env).fqdn`, validated by DNS records in that zone.
 *
 * Incident 5 of the runbooks: the certificate stays PENDING_VALIDATION while the registrar still
 * points at its own name servers. A created zone's name servers are an output: delegate the domain
 * to them at the registrar before the first apply of `edge` (which waits for validation).
 */
import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation/index.js';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone/index.js';
import { names } from '../../src/config/names.js';
import type { EnvironmentConfig } from '../../src/config/types.js';

export interface DnsProps {
  env: EnvironmentConfig;
  /** Create the zone or use an existing one. Default: `env.domain.zone` (`create`). */
  zone?: 'create' | 'existing';
  /** Existing zone id (zone `existing`). Default: `env.domain.zoneId`. */
  zoneId?: string;
  /** Certificate key algorithm. Default: `RSA_2048` (widest client support). */
  keyAlgorithm?: 'RSA_2048' | 'EC_prime256v1' | 'EC_secp384r1';
  /** TTL of the validation records. Default: 60 s. */
  validationRecordTtl?: number;
  /** Delete a created zone even if it still has records. Default: false (true in a sandbox). */
  forceDestroy?: boolean;
}

/**
 * Secure defaults: DNS validation (renewed automatically by ACM as long as the records stay), the
 * certificate created before the old one is destroyed, validation records may overwrite stale ones
 * (`allow_overwrite`), and the validated ARN (from `aws_acm_certificate_validation`) is the one the
 * listener uses, so HTTPS is never configured with an unissued certificate.
 */
export class Dns extends Construct {
  readonly zoneId: string;
  readonly nameServers: string[];
  /** The ARN of the certificate, available only once it is issued. */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsProps) {
    super(scope, id);
    const env = props.env;
    const n = names(env);
    const mode = props.zone ?? env.domain.zone;

    if (mode === 'create') {
      const zone = new Route53Zone(this, 'zone', {
        name: env.domain.name,
        comment: `${env.domain.name} for ${n.prefix} (managed by berth)`,
        forceDestroy: props.forceDestroy ?? env.sandbox,
      });
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    } else {
      const zoneId = props.zoneId ?? env.domain.zoneId;
      if (!zoneId) throw new Error(`environment ${env.name}: domain.zone is "existing" but domain.zoneId is not set`);
      const zone = new DataAwsRoute53Zone(this, 'zone', { zoneId });
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    }

    const cert = new AcmCertificate(this, 'certificate', {
      domainName: n.fqdn,
      validationMethod: 'DNS',
      keyAlgorithm: props.keyAlgorithm ?? 'RSA_2048',
      options: { certificateTransparencyLoggingPreference: 'ENABLED' },
      tags: { Name: n.fqdn },
      lifecycle: { createBeforeDestroy: true },
    });

    // One record per domain_validation_options entry, keyed by domain name (known at plan time).
    const dvo = TerraformIterator.fromComplexList(cert.domainValidationOptions, 'domain_name');
    const records = new Route53Record(this, 'validation-record', {
      forEach: dvo,
      zoneId: this.zoneId,
      name: dvo.getString('resource_record_name'),
      type: dvo.getString('resource_record_type'),
      records: [dvo.getString('resource_record_value')],
      ttl: props.validationRecordTtl ?? 60,
      allowOverwrite: true,
    });

    const validation = new AcmCertificateValidation(this, 'certificate-validation', {
      certificateArn: cert.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty('fqdn')),
    });
    this.certificateArn = validation.certificateArn;
  }
}
