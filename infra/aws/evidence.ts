import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { MAX_EVIDENCE_FILE_BYTES } from '../../functions/domain/certification/evidence-files.js'

/** Properties of the evidence bucket. */
export interface EvidenceProps {
  /** The bucket its access logs go to (the site's log bucket). */
  logBucket: s3.IBucket
  /**
   * Origins browsers upload from (CORS): the own domain when there is one. CloudFront's
   * generated domain cannot be named here (the site's CSP names this bucket, and the
   * distribution carries the CSP: a cycle), so without an own domain it is `*.cloudfront.net`;
   * the uploads themselves need the API's presigned policy either way.
   */
  siteOrigins: string[]
  /** The functions that presign uploads and downloads and confirm uploads (the API). */
  users: lambda.Function[]
}

/**
 * Evidence files: a private, versioned, encrypted (SSE-S3) bucket that answers TLS only.
 * Browsers upload with presigned POSTs and download with presigned GETs that the API's role
 * signs, so no file passes through Lambda; keys are `orgs/<org>/evidence/<file id>` and the
 * API may touch nothing else. Deleted files stay as noncurrent versions for 30 days.
 */
export class Evidence extends Construct {
  readonly bucket: s3.Bucket
  /** The origin browsers talk to (the site's CSP `connect-src`). */
  readonly origin: string

  constructor(scope: Construct, id: string, props: EvidenceProps) {
    super(scope, id)
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 'evidence-bucket/',
      // Evidence outlives a stack: a destroyed stack leaves the bucket (a new one gets a new name).
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'deleted-evidence',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: props.siteOrigins,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    })
    this.origin = `https://${this.bucket.bucketRegionalDomainName}`
    const keys = this.bucket.arnForObjects('orgs/*')
    for (const fn of props.users) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          // PutObject: the presigned POST is signed by this role; Get: HEAD, first bytes, presigned GET.
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
          resources: [keys],
        }),
      )
      fn.addEnvironment('EVIDENCE_BUCKET', this.bucket.bucketName)
      // The finding is on the role's default policy.
      Validations.of(fn.role ?? fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.bucket)}.Arn>/orgs/*]`,
        reason: `Evidence keys are made at run time per organisation and file (orgs/<org>/evidence/<id>); the pattern covers only them, uploads are limited to ${MAX_EVIDENCE_FILE_BYTES} bytes by the presigned policy.`,
      })
    }
  }
}

/** The logical id of a bucket's CloudFormation resource (as cdk-nag names it in findings). */
function logicalIdOf(bucket: s3.Bucket): string {
  const cfn = bucket.node.defaultChild as s3.CfnBucket
  return cfn.stack.getLogicalId(cfn)
}
