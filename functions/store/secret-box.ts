import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * Encrypts small secrets at rest (the engine's task tokens) with AES-256-GCM under a key
 * derived from the application secret, asked of `secret` when needed (on AWS it comes from
 * Secrets Manager). The browser never sees what is sealed here.
 */
export function createSecretBox(secret: () => Promise<string>) {
  const keyOf = async () =>
    createHash('sha256')
      .update(`ismsflow:secret-box:${await secret()}`)
      .digest()
  return {
    async seal(plain: string): Promise<string> {
      const key = await keyOf()
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')
    },
    async open(sealed: string): Promise<string> {
      const key = await keyOf()
      const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'))
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
    },
  }
}

/** A stable, URL-safe id derived from a secret (the task id from its token): same token, same id. */
export const idFromSecret = (secret: string, prefix = 't') =>
  `${prefix}-${createHash('sha256').update(secret).digest('base64url').slice(0, 22).replace(/[-_]/g, 'x')}`
