/**
 * The mail module: every message to a person goes through `createMailer(...).send(kind, to, params)`.
 * Transports: `.eml` files (local), files + SMTP (`SMTP_URL`), Amazon SES (`MAIL_TRANSPORT=ses`).
 *
 * @example
 * const mailer = createMailer({ transport: transportFromConfig(config()), from: config().mailFrom, records })
 * await mailer.send('password-reset', { email, language: 'de' }, { link, expiresInHours: 2 })
 */
export { composeMail } from './compose.js'
export {
  deliverNotification,
  linkFor,
  type NotifyDeps,
  notify,
  notifyTaskAssigned,
  notifyTaskEscalated,
  type RetryReport,
  retryNotifications,
  type TaskRef,
} from './deliver.js'
export {
  createMailer,
  type Mailer,
  type MailLogEntry,
  type Recipient,
  redactLinks,
  type SendResult,
  transportFromConfig,
} from './mailer.js'
export {
  MailError,
  type MailLanguage,
  type MailMessage,
  type MailTransport,
  type SentMail,
} from './message.js'
export { type Both, formatDay, type MailKind, type MailParams, renderMail } from './templates.js'
export { fileTransport, sesTransport, smtpTransport } from './transports.js'
