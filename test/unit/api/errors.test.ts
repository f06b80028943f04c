import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { onError, rollbackFailed } from '../../../functions/api/errors.js'
import {
  AppError,
  ConflictError,
  conflict,
  ForbiddenError,
  GoneError,
  InternalError,
  NotFoundError,
  notFound,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
  validationError,
} from '../../../functions/domain/errors.js'

/** An app whose one route throws `err`, with the API's error mapper. */
const throwing = (err: Error) => {
  const app = new Hono()
  app.use(async (c, next) => {
    c.set('requestId' as never, 'req-1' as never)
    await next()
  })
  app.get('/', () => {
    throw err
  })
  app.onError(onError)
  return app
}

describe('application errors', () => {
  it('are told apart by class, keep their code and the cause', () => {
    const cause = new Error('ConditionalCheckFailed')
    const err = conflict('Taken.', { id: 'is taken' }, cause)
    expect(err).toBeInstanceOf(ConflictError)
    expect(err).toBeInstanceOf(AppError)
    expect(err).not.toBeInstanceOf(NotFoundError)
    expect(err).toMatchObject({ code: 'conflict', fields: { id: 'is taken' }, name: 'ConflictError' })
    expect(err.cause).toBe(cause)
    expect(notFound('Risk', cause)).toMatchObject({ message: 'Risk was not found.', cause })
    expect(validationError({ a: 'b' })).toBeInstanceOf(ValidationError)
  })
})

describe('the error → HTTP mapper', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each([
    [new ValidationError('bad', { fields: { a: 'must be set' } }), 400, 'validation_failed'],
    [new UnauthenticatedError('who?'), 401, 'unauthenticated'],
    [new ForbiddenError('no'), 403, 'forbidden'],
    [new NotFoundError('gone?'), 404, 'not_found'],
    [new ConflictError('again'), 409, 'conflict'],
    [new GoneError('used'), 410, 'gone'],
    [new PayloadTooLargeError('big'), 413, 'payload_too_large'],
    [new UnsupportedMediaTypeError('json!'), 415, 'unsupported_media_type'],
    [new RateLimitedError('slow'), 429, 'rate_limited'],
  ])('answers %o as %i {error:{code,message,fields}}', async (err, status, code) => {
    const res = await throwing(err).request('/')
    expect(res.status).toBe(status)
    expect(await res.json()).toEqual({
      error: {
        code,
        message: err.message,
        ...(err.fields ? { fields: err.fields } : {}),
        requestId: 'req-1',
      },
    })
  })

  it('answers an internal error as 500 and logs it with its cause and the request id', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await throwing(new InternalError('Not saved.', { cause: new Error('engine down') })).request(
      '/',
    )
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ error: { code: 'internal', requestId: 'req-1' } })
    const line = JSON.parse(String(log.mock.calls[0][0]))
    expect(line).toMatchObject({ level: 'error', requestId: 'req-1', causes: ['Error: engine down'] })
  })

  it('logs a failed rollback with the request id', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    rollbackFailed('req-2', 'the project')(new Error('store down'))
    expect(JSON.parse(String(log.mock.calls[0][0]))).toMatchObject({
      level: 'error',
      msg: 'rollback of the project failed',
      requestId: 'req-2',
      error: 'Error: store down',
    })
  })
})
