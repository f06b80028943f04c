import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import nodemailer from 'nodemailer'
import { messageOf } from '../domain/errors.js'
import { composeMail } from './compose.js'
import { MailError, type MailMessage, type MailTransport, type SentMail } from './message.js'

/** `<time>-<id>.eml`: sorts by time; the id is the Message-ID's local part. */
const fileName = (at: Date, messageId: string) =>
  `${at.toISOString().replace(/[:.]/g, '-')}-${messageId.split('@')[0]}.eml`

/**
 * Writes every message as an RFC 5322 file `<dir>/<time>-<id>.eml` (private to the owner:
 * the files hold one-time links). Open one in any mail program.
 */
export function fileTransport(options: { dir: string; now?: () => Date }): MailTransport & {
  write(message: MailMessage, from: string): Promise<SentMail & { raw: Buffer }>
} {
  const now = options.now ?? (() => new Date())
  async function write(message: MailMessage, from: string) {
    const at = now()
    const { raw, messageId } = await composeMail(message, from, at)
    try {
      await mkdir(options.dir, { recursive: true, mode: 0o700 })
      const file = join(options.dir, fileName(at, messageId))
      await writeFile(file, raw, { mode: 0o600 })
      return { messageId, file, raw }
    } catch (err) {
      throw new MailError(`Writing the message to ${options.dir} failed.`, { cause: err })
    }
  }
  return {
    name: 'file',
    write,
    async send(message, from) {
      const { messageId, file } = await write(message, from)
      return { messageId, file }
    },
  }
}

/**
 * Writes the `.eml` file (as `fileTransport`) and sends the same message over SMTP
 * (nodemailer) to `url`, e.g. `smtp://user:pass@mail.example.org:587`.
 */
export function smtpTransport(options: { url: string; dir: string; now?: () => Date }): MailTransport {
  const files = fileTransport(options)
  const smtp = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  })
  return {
    name: 'smtp',
    async send(message, from) {
      const written = await files.write(message, from)
      try {
        await smtp.sendMail({
          envelope: { from: addressOf(from), to: [message.to.email] },
          raw: written.raw,
        })
      } catch (err) {
        throw new MailError(`Sending over SMTP failed: ${messageOf(err)}`, { cause: err })
      }
      return { messageId: written.messageId, file: written.file }
    },
  }
}

/** The bare address of `Name <a@b>` or `a@b`. */
const addressOf = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from.trim()

/** Sends through Amazon SES (v2 `SendEmail` with the raw RFC 5322 message). */
export function sesTransport(options: { client?: SESv2Client; region?: string } = {}): MailTransport {
  const client = options.client ?? new SESv2Client({ region: options.region })
  return {
    name: 'ses',
    async send(message, from) {
      const { raw, messageId } = await composeMail(message, from)
      try {
        const out = await client.send(
          new SendEmailCommand({
            FromEmailAddress: addressOf(from),
            Destination: { ToAddresses: [message.to.email] },
            Content: { Raw: { Data: raw } },
          }),
        )
        return { messageId: out.MessageId ?? messageId }
      } catch (err) {
        throw new MailError(`Sending through SES failed: ${messageOf(err)}`, { cause: err })
      }
    },
  }
}
