import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where webhook secrets live. HMAC signing needs the secret itself, so it cannot be hashed like a password; and events
 * are kept forever (backups, exports, rebuilds), so it is not stored in the clear either. An event holds the secret
 * sealed with AES-256-GCM under a key derived (HKDF-SHA256) from AUTH_TOKEN_SECRET, with the endpoint id as associated
 * data (a sealed secret copied to another endpoint does not open). A copy of the event store alone reveals no secret;
 * read models never hold one. Consequence: changing AUTH_TOKEN_SECRET makes sealed secrets unreadable, and the
 * endpoints then need a rotation (their deliveries fail permanently with `webhook_secret_unreadable`).
 */
const VERSION = 'v1';
const INFO = 'tsunagi webhook secrets v1';

export class WebhookSecretUnreadable extends Error {}

export class WebhookSecretBox {
  private readonly key: Buffer;

  constructor(keyMaterial: string) {
    if (!keyMaterial || keyMaterial.length < 16) throw new Error('webhook secret key material must be at least 16 characters');
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(keyMaterial, 'utf8'), Buffer.from('tsunagi'), Buffer.from(INFO), 32));
  }

  seal(secret: string, endpointId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(endpointId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  open(sealed: string, endpointId: string): string {
    const [version, iv, ciphertext, tag] = sealed.split('.');
    if (version !== VERSION || !iv || !ciphertext || !tag) throw new WebhookSecretUnreadable('not a sealed webhook secret');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(endpointId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new WebhookSecretUnreadable('the webhook secret does not open with this key (AUTH_TOKEN_SECRET changed?)');
    }
  }
}

/** A new signing secret, Standard Webhooks style: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The key material: AUTH_TOKEN_SECRET when set (required in production); otherwise the development secret the API
 * keeps in DATA_DIR/auth-secret (the same file the token service uses), created when missing.
 */
export function webhookKeyMaterial(config: { AUTH_TOKEN_SECRET?: string; DATA_DIR: string }): string {
  if (config.AUTH_TOKEN_SECRET) return config.AUTH_TOKEN_SECRET;
  const path = join(resolve(config.DATA_DIR), 'auth-secret');
  if (!existsSync(path)) {
    mkdirSync(resolve(config.DATA_DIR), { recursive: true });
    try {
      writeFileSync(path, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(path, 0o600);
  return readFileSync(path, 'utf8').trim();
}
