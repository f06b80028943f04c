import type { Context } from 'hono'

/**
 * The caller's IP address for rate limiting: the socket's peer in the Node server, the
 * source IP API Gateway saw on Lambda, `unknown` elsewhere (in-process tests). Headers
 * such as `x-forwarded-for` are not trusted: anyone can set them.
 */
export function clientIp(c: Context): string {
  const env = c.env as
    | {
        incoming?: { socket?: { remoteAddress?: string } }
        server?: { incoming?: { socket?: { remoteAddress?: string } } }
        event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } }
      }
    | undefined
  return (
    env?.incoming?.socket?.remoteAddress ??
    env?.server?.incoming?.socket?.remoteAddress ??
    env?.event?.requestContext?.http?.sourceIp ??
    env?.event?.requestContext?.identity?.sourceIp ??
    'unknown'
  )
}
