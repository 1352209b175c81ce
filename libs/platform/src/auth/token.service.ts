import { JwtService } from '@nestjs/jwt';
import { createSecretKey, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { Principal, ROLES, Role, TokenClaims } from '@tsunagi/domain';

export interface IssueTokenRequest {
  role: Role;
  subject?: string;
  wards?: string[];
  organisationIds?: string[];
  personId?: string;
  /** Seconds; default 12 hours. */
  expiresInSeconds?: number;
}

/** Issues and verifies bearer tokens (JWT, HS256, signed with AUTH_TOKEN_SECRET). */
export class TokenService {
  private readonly jwt: JwtService;

  constructor(secret: string) {
    // A prepared key: given a string, jsonwebtoken first tries (and fails) to read it as a public key on every
    // verify, which was a third of a command's time in the commands benchmark.
    const key = createSecretKey(Buffer.from(secret, 'utf8')) as unknown as string;
    this.jwt = new JwtService({ secret: key, signOptions: { algorithm: 'HS256', issuer: 'tsunagi' }, verifyOptions: { algorithms: ['HS256'], issuer: 'tsunagi' } });
  }

  static fromConfig(config: AppConfig): TokenService {
    return new TokenService(config.AUTH_TOKEN_SECRET ?? developmentSecret(config.DATA_DIR));
  }

  issue(request: IssueTokenRequest): string {
    if (!ROLES.includes(request.role)) throw new Error(`Unknown role "${request.role}"; one of ${ROLES.join(', ')}`);
    const claims: TokenClaims = {
      sub: request.subject ?? request.personId ?? `${request.role}-${randomBytes(6).toString('hex')}`,
      role: request.role,
      ...(request.wards?.length ? { wards: request.wards } : {}),
      ...(request.organisationIds?.length ? { orgs: request.organisationIds } : {}),
      ...(request.personId ? { person: request.personId } : {}),
    };
    return this.jwt.sign(claims, { expiresIn: request.expiresInSeconds ?? 12 * 3600 });
  }

  /** Throws when the token is malformed, forged or expired. */
  verify(token: string): Principal {
    const claims = this.jwt.verify<TokenClaims & { exp: number }>(token);
    if (!ROLES.includes(claims.role) || typeof claims.sub !== 'string') throw new Error('token claims are not valid');
    return {
      subject: claims.sub,
      role: claims.role,
      wards: claims.wards ?? [],
      organisationIds: claims.orgs ?? [],
      ...(claims.person ? { personId: claims.person } : {}),
    };
  }
}

/** A development install keeps a random secret beside its data, so tokens survive restarts without any set-up. */
function developmentSecret(dataDir: string): string {
  const path = join(resolve(dataDir), 'auth-secret');
  if (!existsSync(path)) {
    mkdirSync(resolve(dataDir), { recursive: true });
    writeFileSync(path, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  }
  chmodSync(path, 0o600);
  return readFileSync(path, 'utf8').trim();
}
