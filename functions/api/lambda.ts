import { handle } from 'hono/aws-lambda'
import { createApp } from './app.js'
import { createDeps } from './deps.js'

/** API Gateway entry: one line around the app. */
export const handler = handle(createApp(createDeps()))
