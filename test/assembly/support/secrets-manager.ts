import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A Secrets Manager endpoint for the rehearsal: `GetSecretValue` (AWS JSON 1.1) for the
 * secrets it holds, by ARN only, as the functions ask for theirs; anything else is the error
 * Secrets Manager answers. Functions reach it through `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */
export async function startSecretsManager(secrets: Record<string, string>) {
  const asked: string[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
        res.end(JSON.stringify(payload))
      }
      const target = String(req.headers['x-amz-target'] ?? '')
      if (target !== 'secretsmanager.GetSecretValue')
        return answer(400, { __type: 'InvalidRequestException', message: `not supported here: ${target}` })
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string }
      asked.push(String(SecretId))
      const value = SecretId === undefined ? undefined : secrets[SecretId]
      if (value === undefined)
        return answer(400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        })
      answer(200, {
        ARN: SecretId,
        Name: String(SecretId).split(':').pop(),
        SecretString: value,
        VersionId: '00000000-0000-0000-0000-000000000001',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The SecretIds asked for, in order. */
    asked,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  }
}
