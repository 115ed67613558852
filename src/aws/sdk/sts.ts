/**
 * What berth calls of @aws-sdk/client-sts. Imported through this file, the bundled CLI (scripts/build.mjs)
 * carries these classes only, not the whole API of the service.
 */
export { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
