/** A language messages are written in. */
export type MailLanguage = 'en' | 'de'

/** A composed message: one recipient, plain text and HTML. */
export interface MailMessage {
  to: { email: string; name?: string }
  subject: string
  text: string
  html: string
  /** Which template made it (`invitation`, `password-reset`, …), sent as `X-Ismsflow-Kind`. */
  kind: string
  /** The language it is written in (the recipient's), sent as `Content-Language`. */
  language?: MailLanguage
}

/** What a transport reports for one sent message. */
export interface SentMail {
  /** The RFC 5322 `Message-ID` (without angle brackets). */
  messageId: string
  /** The `.eml` file written, where the transport keeps files. */
  file?: string
}

/**
 * One way of sending mail. Implementations: `fileTransport` (`.eml` files), `smtpTransport`
 * (files and SMTP), `sesTransport` (Amazon SES). A failure throws `MailError`.
 */
export interface MailTransport {
  readonly name: 'file' | 'smtp' | 'ses'
  send(message: MailMessage, from: string): Promise<SentMail>
}

/** A message could not be sent; `cause` is the transport's error. */
export class MailError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'MailError'
  }
}
