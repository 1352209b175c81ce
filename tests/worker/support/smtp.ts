import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** One message as the SMTP server received it, decoded enough to assert on. */
export interface ReceivedEmail {
  /** RCPT TO addresses. */
  to: string[];
  messageId: string;
  subject: string;
  contentLanguage?: string;
  text: string;
  headers: Record<string, string>;
  raw: string;
}

export interface SmtpBehaviour {
  /** A 5xx (or 4xx) reply to RCPT TO for some addresses: return [code, message] to refuse. */
  onRecipient?: (address: string) => [number, string] | undefined;
  /** Reply to the DATA of the nth message (1-based) instead of accepting it. */
  onMessage?: (n: number) => [number, string] | undefined;
  /** Hold each message this long before accepting it (for in-flight shutdown tests). */
  holdMs?: number;
}

/** A real SMTP server on an ephemeral port that keeps what it accepts. */
export class TestSmtpServer {
  readonly received: ReceivedEmail[] = [];
  /** Messages whose DATA started (accepted or not). */
  started = 0;
  private server!: SMTPServer;
  private port = 0;

  constructor(private readonly behaviour: SmtpBehaviour = {}) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.behaviour.onRecipient?.(address.address);
        if (!refusal) return callback();
        callback(Object.assign(new Error(refusal[1]), { responseCode: refusal[0] }));
      },
      onData: (stream, _session, callback) => {
        const n = ++this.started;
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const finish = () => {
            const refusal = this.behaviour.onMessage?.(n);
            if (refusal) return callback(Object.assign(new Error(refusal[1]), { responseCode: refusal[0] }));
            this.received.push(parseEmail(Buffer.concat(chunks).toString('utf8'), _session.envelope.rcptTo.map((r) => r.address)));
            callback();
          };
          if (this.behaviour.holdMs) setTimeout(finish, this.behaviour.holdMs);
          else finish();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const input = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(input.slice(i + 1, i + 3))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(input[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Just enough MIME for single-part text/plain messages as nodemailer writes them. */
export function parseEmail(raw: string, to: string[]): ReceivedEmail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const bodyRaw = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(bodyRaw.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(bodyRaw)
        : bodyRaw;
  return {
    to,
    messageId: headers['message-id'] ?? '',
    subject: decodeWords(headers['subject'] ?? ''),
    contentLanguage: headers['content-language'],
    text: text.replace(/\r\n/g, '\n').trimEnd(),
    headers,
    raw,
  };
}
