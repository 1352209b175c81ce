import { createTransport } from 'nodemailer';
import type { MessageLanguage } from '@tsunagi/participants';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  language: MessageLanguage;
  /** `<notificationId@domain>`: a resend after a crash carries the same id, so receivers can tell it is one message. */
  messageId: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** A failure that sending the same message again would meet again (a rejected address, a 5xx reply). */
export class PermanentEmailError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PermanentEmailError';
  }
}

/** A failure worth retrying later (connection refused or lost, a timeout, a 4xx reply). */
export class TransientEmailError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TransientEmailError';
  }
}

/** Addresses are personal data: they are kept out of failure reasons, which end up in events and in Redis. */
export function withoutAddresses(text: string): string {
  return text.replace(/<?[^\s<>@"',;:]+@[^\s<>"',;:]+>?/g, '<address>');
}

interface SmtpErrorLike {
  code?: string;
  responseCode?: number;
  response?: string;
  permanent?: boolean;
  message?: string;
}

/** Sorts an SMTP failure: 5xx replies (except 503) and malformed envelopes are permanent; the rest is retried. */
export function classifySmtpError(error: unknown): PermanentEmailError | TransientEmailError {
  const e = (error ?? {}) as SmtpErrorLike;
  const detail = withoutAddresses((e.response ?? e.message ?? String(error)).trim()).slice(0, 300);
  if (typeof e.responseCode === 'number') {
    const permanent = e.permanent ?? (e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503);
    return permanent ? new PermanentEmailError(`smtp_rejected: ${detail}`) : new TransientEmailError(`smtp_deferred: ${detail}`);
  }
  // An envelope nodemailer refuses before talking to the server (no recipient, an unusable address).
  if (e.code === 'EENVELOPE') return new PermanentEmailError(`invalid_address: ${detail}`);
  return new TransientEmailError(`smtp_unavailable: ${e.code ? `${e.code} ` : ''}${detail}`);
}

/** The bare address of MAIL_FROM ("Name <a@b>" or "a@b"). */
export function addressOf(from: string): string {
  const match = /<([^<>]+)>\s*$/.exec(from);
  return (match ? match[1] : from).trim();
}

export function messageIdFor(notificationId: string, from: string): string {
  const domain = addressOf(from).split('@')[1] || 'tsunagi.localhost';
  return `<${notificationId}@${domain}>`;
}

/** A syntactic check before any connection: one local part, one domain with a dot or localhost, no spaces. */
export function isUsableAddress(address: string): boolean {
  return /^[^\s@<>()[\]\\,;:"]+@([^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+|localhost)$/.test(address) && address.length <= 254;
}

export interface SmtpMailerOptions {
  url: string;
  from: string;
  /** Pooled connections: at most this many at once (the worker's concurrency). */
  maxConnections?: number;
  timeoutMs?: number;
}

/** E-mail over SMTP with nodemailer: plain text, UTF-8, a Message-ID we choose. */
export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(private readonly options: SmtpMailerOptions) {
    const url = new URL(options.url);
    const timeout = options.timeoutMs ?? 15_000;
    this.transport = createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      // nodemailer's default (100) closes a connection after 100 messages: the next job waits for a new one (TCP,
      // the server's greeting delay, EHLO). The pool still closes connections idle for 4 minutes.
      maxMessages: Infinity,
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 4,
    });
  }

  async send(email: OutgoingEmail): Promise<void> {
    if (!isUsableAddress(email.to)) throw new PermanentEmailError('invalid_address: not a usable e-mail address');
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: email.messageId,
        headers: { 'Content-Language': email.language },
      });
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}
