import { Match } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { resourcesOf, synth } from './support.js'

/** The evidence bucket as deployed: private, TLS only, encrypted, versioned, cleaned up, and the API's alone. */
describe('evidence bucket', () => {
  const { template, stack } = synth({}, { context: { 'aws:cdk:bundling-stacks': [] }, validate: false })
  const buckets = resourcesOf(template, 'AWS::S3::Bucket')
  const [id, bucket] = Object.entries(buckets).find(([k]) => k.startsWith('EvidenceBucket'))!

  it('blocks public access, encrypts, versions, logs and expires deleted versions', () => {
    const p = bucket.Properties
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    })
    expect(
      p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256')
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' })
    expect(p.LoggingConfiguration.LogFilePrefix).toBe('evidence-bucket/')
    const rule = p.LifecycleConfiguration.Rules[0]
    expect(rule.NoncurrentVersionExpiration.NoncurrentDays).toBe(30)
    expect(rule.ExpiredObjectDeleteMarker).toBe(true)
    expect(p.CorsConfiguration.CorsRules[0].AllowedMethods).toEqual(['POST', 'GET', 'HEAD'])
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain' })
  })

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    })
  })

  it('lets the API put, get and delete evidence keys only, and names the bucket in its environment and the CSP', () => {
    const api = stack.api.function
    const fn = template.toJSON().Resources[stack.getLogicalId(api.node.defaultChild as never)]
    expect(fn.Properties.Environment.Variables.EVIDENCE_BUCKET).toEqual({ Ref: id })
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as any[])
    const s3 = statements.filter((s) => JSON.stringify(s.Resource ?? '').includes(id))
    expect(s3).toHaveLength(1)
    expect([...s3[0].Action].sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject'])
    expect(JSON.stringify(s3[0].Resource)).toContain('/orgs/*')
    const csp = JSON.stringify(resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy'))
    expect(csp).toContain(`${id}`)
    expect(csp).toContain('RegionalDomainName')
  })
})
