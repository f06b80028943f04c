import { randomBytes } from 'node:crypto'
import type { Config } from '../config.js'
import type { Records } from '../store/records.js'
import { MailError, type MailLanguage, type MailTransport } from './message.js'
import { type MailKind, type MailParams, renderMail } from './templates.js'
import { fileTransport, sesTransport, smtpTransport } from './transports.js'

/** A recipient: address, name for the greeting, language of the message. */
export interface Recipient {
  email: string
  name?: string
  language?: MailLanguage
}

/** What the Mail page lists: one sent (or failed) message of an organisation. */
export interface MailLogEntry {
  kind: MailKind
  to: { email: string; name?: string }
  language: MailLanguage
  subject: string
  /** The plain text, with one-time links shortened so the log cannot be used to take over an account. */
  text: string
  status: 'sent' | 'failed'
  error?: string
  messageId?: string
  transport: MailTransport['name']
  at: string
}

/** The outcome of one send: never throws for a transport failure, so callers record "not sent". */
export type SendResult = { ok: true; messageId: string; file?: string } | { ok: false; error: string }

/** One-time links (`/invitations/<token>`, `/reset-password/<token>`, `/set-password/<token>`) lose their token in the log. */
export const redactLinks = (text: string) =>
  text.replace(/\/(invitations|reset-password|set-password)\/[A-Za-z0-9_-]{16,}/g, '/$1/…')

/**
 * The one mail module: renders a message in the recipient's language, hands it to the
 * configured transport and, for a message about an organisation, writes it to that
 * organisation's mail log (the Mail page).
 */
export function createMailer(options: {
  transport: MailTransport
  from: string
  records?: Records
  now?: () => Date
}) {
  const now = options.now ?? (() => new Date())
  return {
    transport: options.transport.name,
    /**
     * Sends `kind` to one person. `orgId` files the message in that organisation's mail
     * log (invitations and task messages; password resets are personal and not logged).
     */
    async send<K extends MailKind>(
      kind: K,
      to: Recipient,
      params: MailParams[K],
      opts: { orgId?: string } = {},
    ): Promise<SendResult> {
      const language = to.language ?? 'en'
      const { subject, text, html } = renderMail(kind, params, language, to.name)
      let result: SendResult
      try {
        const sent = await options.transport.send(
          { to: { email: to.email, name: to.name }, subject, text, html, kind, language },
          options.from,
        )
        result = { ok: true, messageId: sent.messageId, file: sent.file }
      } catch (err) {
        if (!(err instanceof MailError)) throw err
        console.error(JSON.stringify({ level: 'error', msg: 'mail not sent', kind, error: err.message }))
        result = { ok: false, error: err.message }
      }
      if (opts.orgId && options.records) {
        const at = now().toISOString()
        const entry: MailLogEntry = {
          kind,
          to: { email: to.email, name: to.name },
          language,
          subject,
          text: redactLinks(text),
          status: result.ok ? 'sent' : 'failed',
          error: result.ok ? undefined : result.error,
          messageId: result.ok ? result.messageId : undefined,
          transport: options.transport.name,
          at,
        }
        await options.records
          .forOrg(opts.orgId)
          .create('mail', `${at}-${randomBytes(4).toString('hex')}`, JSON.parse(JSON.stringify(entry)), {
            actor: { userId: 'system:mail' },
            action: result.ok ? 'mail.sent' : 'mail.failed',
          })
      }
      return result
    },
  }
}

/** The mailer's interface. */
export type Mailer = ReturnType<typeof createMailer>

/** The transport `MAIL_TRANSPORT` names (see `config.ts`). */
export function transportFromConfig(
  cfg: Pick<Config, 'mailTransport' | 'mailDir' | 'smtpUrl' | 'region'>,
  now?: () => Date,
): MailTransport {
  if (cfg.mailTransport === 'ses') return sesTransport({ region: cfg.region })
  if (cfg.mailTransport === 'smtp') {
    if (!cfg.smtpUrl) throw new Error('MAIL_TRANSPORT=smtp needs SMTP_URL')
    return smtpTransport({ url: cfg.smtpUrl, dir: cfg.mailDir, now })
  }
  return fileTransport({ dir: cfg.mailDir, now })
}
