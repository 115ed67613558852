/**
 * What berth calls of @aws-sdk/client-ecr. Imported through this file, the bundled CLI (scripts/build.mjs)
 * carries these classes only, not the whole API of the service.
 */
export {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
