import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib'
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2'
import * as acm from 'aws-cdk-lib/aws-certificatemanager'
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront'
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins'
import * as s3 from 'aws-cdk-lib/aws-s3'
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment'
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import { Construct } from 'constructs'
import { ORIGIN_VERIFY_HEADER } from '../../functions/api/auth/site-only.js'
import { hasWebBuild } from './paths.js'

/** Inputs of the web front. */
export interface WebProps {
  httpApi: apigw.IHttpApi
  /** Built web app; deployed only when it holds an `index.html` at synth time. */
  webDistDir: string
  /** Without a web build, fail the synth (the CDK app) rather than deploy a site that answers 403. */
  requireWebBuild?: boolean
  /** Sent by CloudFront to the API as `x-origin-verify` (the API refuses requests without it). */
  originVerify: secretsmanager.ISecret
  /** Optional own domain (`-c domainName=… -c certificateArn=…`, the certificate in us-east-1). */
  domain?: { name: string; certificateArn: string }
  /** More origins the app talks to (CSP `connect-src`): the evidence bucket, the sign-in domain. */
  connectSources?: string[]
}

/** Message when the CDK app is synthesized without a web build. */
export const NO_WEB_BUILD = (dir: string) =>
  `No web build at ${dir}: run \`npm run build:web\` first (the CDK app in cdk.json does it before synth).`

/**
 * SPA fallback as a CloudFront Function on the web behaviour: a path without a file
 * extension (a client-side route such as `/risks/42`) is served `/index.html`. Custom error
 * responses (403/404 → index.html) would apply to the whole distribution and turn the API's
 * JSON 403/404 answers into the HTML page, so they are not used.
 */
export const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('.', uri.lastIndexOf('/') + 1) === -1) request.uri = '/index.html';
  return request;
}`

/**
 * The web app: a private S3 bucket (all public access blocked, TLS only, encrypted) read by
 * CloudFront through Origin Access Control, `index.html` as root and SPA fallback, security
 * headers on every answer, and `/api/*` forwarded to the HTTP API uncached with all methods,
 * cookies, query strings and headers (Authorization travels in the cache key, the only way
 * CloudFront forwards it; the maximum TTL is 1 s and the API answers `no-store`).
 */
export class Web extends Construct {
  readonly bucket: s3.Bucket
  readonly logBucket: s3.Bucket
  readonly distribution: cloudfront.Distribution
  /** Whether `web/dist` was deployed by this synth. */
  readonly deployed: boolean

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id)
    const stack = Stack.of(this)
    if (props.requireWebBuild && !hasWebBuild(props.webDistDir))
      throw new Error(NO_WEB_BUILD(props.webDistDir))
    // Access logs of CloudFront and of the site bucket, kept 180 days. CloudFront's standard
    // logs are written with ACLs, so this bucket (alone) keeps object ownership by the writer.
    this.logBucket = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(180) }],
      removalPolicy: RemovalPolicy.RETAIN,
    })
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
    })
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'ismsflow security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            `connect-src 'self' https://cognito-idp.${stack.region}.${stack.urlSuffix}${(props.connectSources ?? []).map((o) => ` ${o}`).join('')}`,
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
          ].join('; '),
          override: false,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=()',
            override: false,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: false },
        ],
      },
    })
    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      comment: 'ismsflow: client-side routes → /index.html',
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    })
    const apiCache = new cloudfront.CachePolicy(this, 'ApiCache', {
      comment: 'ismsflow API: no caching; Authorization, cookies and query in the key so they reach the API',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      cookieBehavior: cloudfront.CacheCookieBehavior.all(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    })
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'ismsflow web app and API',
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      // TLS 1.2 or newer towards browsers (needs an own domain: *.cloudfront.net keeps CloudFront's default).
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [
          { function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(
            `${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
            {
              protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
              originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
              customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerify.secretValue.unsafeUnwrap() },
            },
          ),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: apiCache,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    })

    this.deployed = hasWebBuild(props.webDistDir)
    if (this.deployed) {
      new s3deploy.BucketDeployment(this, 'Deploy', {
        // Source maps stay out of the bucket: browsers get no map of the app.
        sources: [s3deploy.Source.asset(props.webDistDir, { exclude: ['**/*.map'] })],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: ['/*'],
        prune: true,
        memoryLimit: 512,
      })
    } else {
      Annotations.of(this).addInfo(
        `No web build at ${props.webDistDir}: the site is not deployed by this synth. Run \`npm run build:web\` first.`,
      )
    }
  }
}
