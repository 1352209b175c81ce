import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { TokenService } from './token.service';

describe('TokenService', () => {
  const tokens = new TokenService('a-secret-that-is-long-enough-for-hs256!!');

  it('round-trips role and scopes', () => {
    const token = tokens.issue({ role: 'coordinator', subject: 'c1', wards: ['nakahara', 'takatsu'], organisationIds: ['o1'] });
    expect(tokens.verify(token)).toEqual({ subject: 'c1', role: 'coordinator', wards: ['nakahara', 'takatsu'], organisationIds: ['o1'] });
    expect(tokens.verify(tokens.issue({ role: 'volunteer', personId: 'p9' }))).toMatchObject({ subject: 'p9', personId: 'p9' });
  });

  it('rejects tampered, foreign and expired tokens, and unknown roles', () => {
    const token = tokens.issue({ role: 'analyst' });
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', iss: 'tsunagi' })).toString('base64url');
    expect(() => tokens.verify(`${header}.${forgedPayload}.${signature}`)).toThrow();
    expect(() => new TokenService('another-secret-that-is-long-enough!!!!').verify(token)).toThrow();
    expect(() => tokens.verify(tokens.issue({ role: 'admin', expiresInSeconds: -1 }))).toThrow();
    expect(() => tokens.issue({ role: 'mayor' as never })).toThrow(/Unknown role/);
  });

  it('keeps a private development secret in DATA_DIR, stable across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsunagi-secret-'));
    try {
      const config = loadConfig({ DATA_DIR: dir });
      const token = TokenService.fromConfig(config).issue({ role: 'admin' });
      expect(TokenService.fromConfig(config).verify(token).role).toBe('admin');
      expect(statSync(join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'auth-secret'), 'utf8').length).toBeGreaterThanOrEqual(64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
