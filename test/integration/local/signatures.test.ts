import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn'
import { fromIni } from '@aws-sdk/credential-provider-ini'
import type { FinalizeHandlerArguments, HttpRequest } from '@smithy/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CREDENTIALS_PROFILE,
  credentialsFilePath,
  generateCredentials,
  type LocalCredentials,
  parseCredentialsFile,
} from '../../../infra/local/credentials.js'
import { type LocalStack, startLocalStack } from '../../../infra/local/stack.js'

/**
 * No open doors on the local stack: the embedded store and engine answer only requests signed
 * with the installation's key pair (`.data/credentials`, profile `ismsflow-local`), with AWS's
 * errors otherwise; `.data/` is private to its owner.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'ismsflow-sig-'))
let stack: LocalStack

beforeAll(async () => {
  stack = await startLocalStack({ dataDir })
})
afterAll(async () => {
  await stack?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const dynamo = (endpoint: string, credentials: LocalCredentials | ReturnType<typeof fromIni>) =>
  new DynamoDBClient({ region: 'eu-central-1', endpoint, credentials, maxAttempts: 1 })
const sfn = (endpoint: string, credentials: LocalCredentials) =>
  new SFNClient({ region: 'eu-central-1', endpoint, credentials, maxAttempts: 1 })

/** Sends unsigned JSON, as a stray local process would. */
async function unsigned(endpoint: string, target: string) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body: '{}',
  })
  return { status: res.status, body: (await res.json()) as { __type: string; message: string } }
}

/** Swaps the body after the SDK signed the request (a man in the middle). */
function tamper<C extends DynamoDBClient | SFNClient>(client: C, body: string): C {
  ;(client.middlewareStack as DynamoDBClient['middlewareStack']).add(
    (next) => async (args) => {
      const req = (args as FinalizeHandlerArguments<object>).request as HttpRequest
      req.body = body
      req.headers['content-length'] = String(Buffer.byteLength(body))
      return next(args)
    },
    { step: 'deserialize', name: 'tamper' },
  )
  return client
}

describe('the installation key pair', () => {
  it('is written once into .data/credentials (0600, profile ismsflow-local) in a private .data/ (0700)', () => {
    const file = credentialsFilePath(dataDir)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith(`[${CREDENTIALS_PROFILE}]\n`)).toBe(true)
    expect(stack.credentials).toMatchObject(parseCredentialsFile(text)!)
    expect(stack.credentials.accessKeyId).toMatch(/^[A-Z0-9]{20}$/)
    expect(stack.credentials.secretAccessKey).toHaveLength(40)
  })

  it('works with the SDK as a shared-credentials file (what the AWS CLI line uses)', async () => {
    const client = dynamo(
      stack.dynamoEndpoint,
      fromIni({ profile: CREDENTIALS_PROFILE, filepath: credentialsFilePath(dataDir) }),
    )
    const out = await client.send(new ListTablesCommand({}))
    expect(out.TableNames).toContain('ismsflow')
  })

  it('reads a shared-credentials file with other profiles around it', () => {
    const pair = generateCredentials()
    const text = `[default]\naws_access_key_id = X\naws_secret_access_key = Y\n\n[profile ${CREDENTIALS_PROFILE}]\naws_access_key_id=${pair.accessKeyId}\naws_secret_access_key=${pair.secretAccessKey}\n`
    expect(parseCredentialsFile(text)).toEqual(pair)
    expect(parseCredentialsFile('[default]\naws_access_key_id = X\n')).toBeUndefined()
  })
})

describe('the embedded store (DynamoDB)', () => {
  it('answers a signed request', async () => {
    const out = await dynamo(stack.dynamoEndpoint, stack.credentials).send(new ListTablesCommand({}))
    expect(out.TableNames).toContain('ismsflow')
  })

  it('refuses an unsigned request with MissingAuthenticationTokenException', async () => {
    const res = await unsigned(stack.dynamoEndpoint, 'DynamoDB_20120810.Scan')
    expect(res.status).toBe(400)
    expect(res.body.__type).toMatch(/MissingAuthenticationTokenException$/)
  })

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const err = await dynamo(stack.dynamoEndpoint, generateCredentials())
      .send(new ListTablesCommand({}))
      .catch((e) => e)
    expect(err.name).toBe('UnrecognizedClientException')
  })

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const wrong = { ...stack.credentials, secretAccessKey: generateCredentials().secretAccessKey }
    const err = await dynamo(stack.dynamoEndpoint, wrong)
      .send(new ListTablesCommand({}))
      .catch((e) => e)
    expect(err.name).toBe('InvalidSignatureException')
  })

  it('refuses a body changed after signing with InvalidSignatureException', async () => {
    const client = tamper(dynamo(stack.dynamoEndpoint, stack.credentials), '{"Limit":1}')
    const err = await client.send(new ListTablesCommand({})).catch((e) => e)
    expect(err.name).toBe('InvalidSignatureException')
  })
})

describe('the engine (Step Functions)', () => {
  it('answers a signed request', async () => {
    const out = await sfn(stack.sfnEndpoint, stack.credentials).send(new ListStateMachinesCommand({}))
    expect(out.stateMachines?.length).toBeGreaterThan(0)
  })

  it('refuses an unsigned request with MissingAuthenticationTokenException', async () => {
    const res = await unsigned(stack.sfnEndpoint, 'AWSStepFunctions.ListStateMachines')
    expect(res.status).toBe(400)
    expect(res.body.__type).toBe('MissingAuthenticationTokenException')
  })

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const err = await sfn(stack.sfnEndpoint, generateCredentials())
      .send(new ListStateMachinesCommand({}))
      .catch((e) => e)
    expect(err.name).toBe('UnrecognizedClientException')
  })

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const wrong = { ...stack.credentials, secretAccessKey: generateCredentials().secretAccessKey }
    const err = await sfn(stack.sfnEndpoint, wrong)
      .send(new ListStateMachinesCommand({}))
      .catch((e) => e)
    expect(err.name).toBe('InvalidSignatureException')
  })

  it('refuses a body changed after signing with InvalidSignatureException', async () => {
    const client = tamper(sfn(stack.sfnEndpoint, stack.credentials), '{"maxResults":1}')
    const err = await client.send(new ListStateMachinesCommand({})).catch((e) => e)
    expect(err.name).toBe('InvalidSignatureException')
  })
})
