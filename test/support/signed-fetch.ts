import { createHash, createHmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Checksum, SourceData } from '@smithy/types'
import { type LocalCredentials, localCredentials } from '../../infra/local/credentials.js'

/** SHA-256 (HMAC with a secret) for the SDK's signer, on node:crypto. */
class Sha256 implements Checksum {
  private hash
  constructor(private secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', secret as Buffer) : createHash('sha256')
  }
  update(data: Uint8Array) {
    this.hash.update(data)
  }
  async digest() {
    return new Uint8Array(this.hash.digest())
  }
  reset() {
    this.hash = this.secret ? createHmac('sha256', this.secret as Buffer) : createHash('sha256')
  }
}

/**
 * `fetch` signed with Signature V4 by the SDK's own signer, for tests that speak a protocol
 * by hand (the embedded endpoints refuse unsigned requests). Defaults to the process's key pair.
 */
export async function signedFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; service: string },
  credentials: LocalCredentials = localCredentials(),
): Promise<Response> {
  const u = new URL(url)
  const signer = new SignatureV4({
    credentials,
    region: 'eu-central-1',
    service: init.service,
    sha256: Sha256,
    uriEscapePath: init.service !== 's3',
  })
  const headers: Record<string, string> = { host: u.host }
  for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v
  const signed = await signer.sign({
    method: init.method ?? 'POST',
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: u.pathname,
    query: Object.fromEntries(u.searchParams),
    headers,
    body: init.body,
  })
  const { host: _host, ...send } = signed.headers
  return fetch(url, { method: init.method ?? 'POST', headers: send, body: init.body })
}
