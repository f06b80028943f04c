import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import { evidenceOrigin } from '../config.js'
import { originCheck } from './auth/origin.js'
import { siteOnly } from './auth/site-only.js'
import type { AppEnv, Deps } from './env.js'
import { onError } from './errors.js'
import { openApiDocument } from './openapi/index.js'
import { account, passwordReset } from './routes/account.js'
import { assessments } from './routes/assessments.js'
import { audit } from './routes/audit.js'
import { audits } from './routes/audits.js'
import { awareness } from './routes/awareness.js'
import { bsiRegistration } from './routes/bsi-registration.js'
import { calendar } from './routes/calendar.js'
import { certificationRoute } from './routes/certification.js'
import { clientConfig } from './routes/config.js'
import { context } from './routes/context.js'
import { dashboard } from './routes/dashboard.js'
import { health } from './routes/health.js'
import { incidents } from './routes/incidents.js'
import { invitations } from './routes/invitations.js'
import { managementDuties } from './routes/management-duties.js'
import { notifications } from './routes/notifications.js'
import { obligationsRoute } from './routes/obligations.js'
import { orgs } from './routes/orgs.js'
import { reviews } from './routes/reviews.js'
import { risks } from './routes/risks.js'
import { search } from './routes/search.js'
import { session } from './routes/session.js'
import { setup } from './routes/setup.js'
import { tasks } from './routes/tasks.js'
import { workflows } from './routes/workflows.js'

/** Largest JSON body the API accepts (evidence files go to S3, not through the API). */
export const MAX_BODY_BYTES = 256 * 1024

/** Options of {@link createApp}. */
export interface AppOptions {
  /**
   * Writes one line of the request log (a JSON object, no newline). Default `console.log`, a
   * line at once (Lambda may freeze the process once the answer is sent); the local process
   * writes the lines of one turn of its event loop together (`infra/local/batched-lines.ts`).
   */
  requestLog?: (line: string) => void
}

/** Writes a request log line as it comes. */
const logLine = (line: string) => console.log(line)

/**
 * The HTTP API as one Hono app: one sub-app per resource under `/api`. The same app runs
 * behind API Gateway (`lambda.ts`) and in the local process (`infra/local/main.ts`).
 */
export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new Hono<AppEnv>()
  // LOG_LEVEL=warn silences the per-request lines (the test suites set it); errors always log.
  const logRequests = deps.config.logLevel === 'info' || deps.config.logLevel === 'debug'
  const requestLog = options.requestLog ?? logLine
  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) || crypto.randomUUID()
    c.set('requestId', requestId)
    c.set('deps', deps)
    const started = performance.now()
    await next()
    // On the answer's own headers, as secureHeaders sets its: `c.header` after the handler has
    // answered makes the answer again (node-server's light answer of a string became a Web
    // Response whose body is a stream, written in chunks).
    c.res.headers.set('x-request-id', requestId)
    if (!logRequests) return
    const path = c.req.path
    if (path.startsWith('/api/'))
      requestLog(
        JSON.stringify({
          level: 'info',
          requestId,
          method: c.req.method,
          path,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        }),
      )
  })
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // The browser uploads evidence straight to the bucket (presigned POST) and, in Cognito
        // mode, redeems its sign-in code and refreshes at the provider's token endpoint.
        connectSrc: [
          "'self'",
          evidenceOrigin(deps.config),
          ...(deps.config.oidc ? [new URL(deps.config.oidc.tokenEndpoint).origin] : []),
        ],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
      referrerPolicy: 'same-origin',
      // Features the app never uses are off for it and anything it might embed.
      permissionsPolicy: {
        camera: [],
        microphone: [],
        geolocation: [],
        payment: [],
        usb: [],
        serial: [],
        bluetooth: [],
        hid: [],
        midi: [],
        magnetometer: [],
        gyroscope: [],
        accelerometer: [],
        displayCapture: [],
        browsingTopics: [],
      },
    }),
  )
  // API answers are per person and change with every write: no cache keeps them (a route
  // that may be cached, like the calendar feed, sets its own Cache-Control).
  app.use('/api/*', async (c, next) => {
    await next()
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store')
  })
  const jsonLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      c.json(
        { error: { code: 'payload_too_large', message: `The body is larger than ${MAX_BODY_BYTES} bytes.` } },
        413,
      ),
  })
  // Evidence files go straight to S3 (presigned POST); no body here is larger than this. A GET
  // or HEAD has no body: the limit is not asked (it reads the request's body, which made
  // node-server build a whole Web Request for every read).
  app.use('/api/*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : jsonLimit(c, next),
  )
  // Cross-site form posts are refused by origin; JSON requests also need the session's x-csrf-token (auth/middleware.ts).
  app.use('/api/*', originCheck())
  // On AWS: only requests that came through CloudFront (it adds the origin secret).
  app.use('/api/*', siteOnly(deps.config.originVerifySecretArn))
  app.onError(onError)
  app.route('/api/health', health)
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()))
  app.route('/api/config', clientConfig)
  app.route('/api/session', session)
  app.route('/api/orgs', orgs)
  app.route('/api/setup', setup)
  app.route('/api/invitations', invitations)
  app.route('/api/account', account)
  app.route('/api/password-reset', passwordReset)
  app.route('/api/audit', audit)
  app.route('/api/audits', audits)
  app.route('/api/tasks', tasks)
  app.route('/api/workflows', workflows)
  app.route('/api/awareness', awareness)
  app.route('/api/context', context)
  app.route('/api/notifications', notifications)
  app.route('/api/obligations', obligationsRoute())
  app.route('/api/assessments', assessments)
  app.route('/api/bsi-registration', bsiRegistration)
  app.route('/api/management-duties', managementDuties)
  app.route('/api/risks', risks)
  app.route('/api/certification', certificationRoute())
  app.route('/api/reviews', reviews)
  app.route('/api/calendar', calendar)
  app.route('/api/incidents', incidents)
  app.route('/api/search', search)
  app.route('/api/dashboard', dashboard)
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}.` } }, 404),
  )
  return app
}
