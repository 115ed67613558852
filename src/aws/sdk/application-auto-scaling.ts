/**
 * What berth calls of @aws-sdk/client-application-auto-scaling. Imported through this file, the bundled CLI (scripts/build.mjs)
 * carries these classes only, not the whole API of the service.
 */
export {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
