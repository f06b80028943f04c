import { randomUUID } from 'node:crypto'
import MailComposer from 'nodemailer/lib/mail-composer'
import type { MailMessage } from './message.js'

/** The domain part of an address (for `Message-ID`), `ismsflow.localhost` when there is none. */
const domainOf = (address: string) => /@([^>\s]+)>?\s*$/.exec(address)?.[1] ?? 'ismsflow.localhost'

/**
 * Builds the RFC 5322 message (multipart/alternative: plain text and HTML, UTF-8) with
 * nodemailer's MailComposer. The same bytes are written to `.eml` files and sent raw
 * through SES.
 */
export async function composeMail(
  message: MailMessage,
  from: string,
  at: Date = new Date(),
): Promise<{ raw: Buffer; messageId: string }> {
  const messageId = `${randomUUID()}@${domainOf(from)}`
  const mail = new MailComposer({
    from,
    to: message.to.name ? { name: message.to.name, address: message.to.email } : message.to.email,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: `<${messageId}>`,
    date: at,
    headers: {
      'X-Ismsflow-Kind': message.kind,
      'Auto-Submitted': 'auto-generated',
      ...(message.language ? { 'Content-Language': message.language } : {}),
    },
  })
  const raw = await new Promise<Buffer>((resolve, reject) =>
    mail.compile().build((err, out) => (err ? reject(err) : resolve(out))),
  )
  return { raw, messageId }
}
