import { DomainError, Principal } from '@tsunagi/domain';
import { spec } from '@tsunagi/testing';
import { notificationsFor } from '../notification.rules';
import { WebhookAddressPolicy, WebhookTargetRefused, refusalOf } from './address-policy';
import { WebhookSecretBox, generateWebhookSecret } from './secret-box';
import { WebhookEndpointEvent, authorizeWebhookCommand, signingSecrets, webhookEndpointDecider } from './webhook-endpoint';
import { verifyWebhookSignature, webhookSignatureHeader } from './webhook-signature';
import { classifyStatus } from './webhook-sender';

const at = '2026-04-01T10:00:00.000Z';
const endpointId = 'ep-1';
const organisationId = 'org-1';
const registered: WebhookEndpointEvent = {
  type: 'WebhookEndpointRegistered',
  data: { endpointId, organisationId, url: 'https://hooks.example.org/x', description: '', secret: 'sealed-1', by: 'rep', at },
};
const register = { type: 'RegisterWebhookEndpoint' as const, endpointId, organisationId, url: 'https://hooks.example.org/x', description: '', secret: 'sealed-1', by: 'rep', at };
const rotate = (secret: string, when = at) => ({ type: 'RotateWebhookSecret' as const, endpointId, organisationId, secret, by: 'rep', at: when });
const rotated = (secret: string, when = at): WebhookEndpointEvent => ({
  type: 'WebhookSecretRotated',
  data: { endpointId, organisationId, secret, previousValidUntil: new Date(Date.parse(when) + 24 * 3600e3).toISOString(), by: 'rep', at: when },
});
const disable = { type: 'DisableWebhookEndpoint' as const, endpointId, organisationId, by: 'rep', at };
const disabled: WebhookEndpointEvent = { type: 'WebhookEndpointDisabled', data: { endpointId, organisationId, by: 'rep', at } };

describe('webhook endpoint decider', () => {
  it('registers once', () => {
    spec(webhookEndpointDecider).given([]).when(register).then([registered]);
    spec(webhookEndpointDecider).given([registered]).when(register).thenFails('webhook.already_registered');
  });

  it('rotates: the previous secret keeps signing for 24 hours beside the new one', () => {
    spec(webhookEndpointDecider).given([registered]).when(rotate('sealed-2')).then([rotated('sealed-2')]);
    const state = [registered, rotated('sealed-2')].reduce(webhookEndpointDecider.evolve, webhookEndpointDecider.initialState());
    expect(signingSecrets(state, new Date('2026-04-01T12:00:00Z'))).toEqual(['sealed-2', 'sealed-1']);
    expect(signingSecrets(state, new Date('2026-04-02T10:00:01Z'))).toEqual(['sealed-2']);
  });

  it('finds no endpoint of another organisation, and rotates no disabled one', () => {
    spec(webhookEndpointDecider).given([]).when(rotate('s')).thenFails('webhook.not_found');
    spec(webhookEndpointDecider).given([registered]).when({ ...rotate('s'), organisationId: 'org-2' }).thenFails('webhook.not_found');
    spec(webhookEndpointDecider).given([registered, disabled]).when(rotate('s')).thenFails('webhook.disabled');
  });

  it('disables once', () => {
    spec(webhookEndpointDecider).given([registered]).when(disable).then([disabled]);
    spec(webhookEndpointDecider).given([registered, disabled]).when(disable).then([]);
    spec(webhookEndpointDecider).given([]).when(disable).thenFails('webhook.not_found');
  });

  it('is for the organisation’s representatives and admins only', () => {
    const p = (role: Principal['role'], organisationIds: string[] = []): Principal => ({ subject: 's', role, wards: ['nakahara'], organisationIds });
    const allowed = (principal: Principal) => {
      try {
        authorizeWebhookCommand(principal, organisationId);
        return true;
      } catch (error) {
        expect((error as DomainError).code).toBe('auth.forbidden');
        return false;
      }
    };
    expect(allowed(p('admin'))).toBe(true);
    expect(allowed(p('organisation', [organisationId]))).toBe(true);
    expect(allowed(p('organisation', ['org-2']))).toBe(false);
    expect(allowed(p('coordinator'))).toBe(false);
    expect(allowed(p('volunteer'))).toBe(false);
    expect(allowed(p('analyst'))).toBe(false);
  });
});

describe('webhook rules', () => {
  it('an organisation with an active endpoint also gets the webhook channel', () => {
    const opened = { type: 'OpportunityOpened', data: { opportunityId: 'o', organisationId: 'org-1', title: 't', details: { kind: 'collaboration' } } };
    const event = { type: 'MatchProposed', data: { opportunityId: 'o', matchId: 'm', candidate: { type: 'organisation', id: 'org-2' } } };
    const plan = (has?: (id: string) => boolean) => notificationsFor(event, { earlier: [opened], mayBeContacted: () => true, hasWebhookEndpoint: has });
    expect(plan()[0].channels).toEqual(['email', 'inbox']);
    expect(plan((id) => id === 'org-2')[0].channels).toEqual(['email', 'webhook', 'inbox']);
    expect(plan((id) => id === 'org-1')[0].channels).toEqual(['email', 'inbox']);
  });
});

describe('webhook address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12::1', 'private'],
    ['169.254.10.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['100.64.0.1', 'cgnat'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusalOf(address)).toBe(reason);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1', '100.128.0.1'])('accepts the public %s', (address) => {
    expect(refusalOf(address)).toBeUndefined();
  });

  const refusal = async (policy: WebhookAddressPolicy, url: string) => {
    try {
      await policy.vet(url);
      return undefined;
    } catch (error) {
      return (error as WebhookTargetRefused).reason;
    }
  };

  it('refuses http in production, credentials, localhost, and any private address a host resolves to', async () => {
    const resolver = async (host: string) =>
      host === 'mixed.example.org'
        ? [{ address: '93.184.215.14', family: 4 as const }, { address: '10.0.0.5', family: 4 as const }]
        : [{ address: '93.184.215.14', family: 4 as const }];
    const production = WebhookAddressPolicy.production(resolver);
    expect(await refusal(production, 'http://hooks.example.org/x')).toBe('https_required');
    expect(await refusal(production, 'https://user:pw@hooks.example.org/x')).toBe('credentials_in_url');
    expect(await refusal(production, 'https://localhost/x')).toBe('loopback');
    expect(await refusal(production, 'https://127.0.0.1:8443/x')).toBe('loopback');
    expect(await refusal(production, 'https://[::1]/x')).toBe('loopback');
    expect(await refusal(production, 'https://mixed.example.org/x')).toBe('private');
    expect(await refusal(production, 'https://hooks.example.org/x')).toBeUndefined();
    expect(await refusal(WebhookAddressPolicy.forEnvironment('test', resolver), 'http://hooks.example.org/x')).toBeUndefined();
    expect(await refusal(WebhookAddressPolicy.forEnvironment('test', resolver), 'http://127.0.0.1/x')).toBe('loopback');
    expect(await refusal(new WebhookAddressPolicy({ allowHttp: true, allowedAddresses: ['127.0.0.1'] }), 'http://127.0.0.1:9/x')).toBeUndefined();
  });
});

describe('webhook secrets and signatures', () => {
  it('seals a secret so that only this key and this endpoint open it', () => {
    const box = new WebhookSecretBox('k'.repeat(32));
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const sealed = box.seal(secret, endpointId);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(box.open(sealed, endpointId)).toBe(secret);
    expect(() => box.open(sealed, 'ep-2')).toThrow();
    expect(() => new WebhookSecretBox('j'.repeat(32)).open(sealed, endpointId)).toThrow();
  });

  it('signs with every secret given; each verifies, within the tolerance only', () => {
    const [a, b] = [generateWebhookSecret(), generateWebhookSecret()];
    const now = new Date('2026-04-01T10:00:00Z');
    const timestamp = Math.floor(now.getTime() / 1000);
    const body = '{"type":"match_proposed"}';
    const headers = { 'webhook-id': 'n1', 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignatureHeader([a, b], 'n1', timestamp, body) };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWebhookSignature(a, headers, body, now)).toBe(true);
    expect(verifyWebhookSignature(b, headers, body, now)).toBe(true);
    expect(verifyWebhookSignature(generateWebhookSecret(), headers, body, now)).toBe(false);
    expect(verifyWebhookSignature(a, headers, body + ' ', now)).toBe(false);
    expect(verifyWebhookSignature(a, headers, body, new Date(now.getTime() + 600_000))).toBe(false);
  });

  it('sorts answers: 2xx delivered, 3xx and 4xx permanent (but 408, 429), 5xx transient', () => {
    expect(classifyStatus(204).outcome).toBe('delivered');
    expect(classifyStatus(302).outcome).toBe('permanent');
    expect(classifyStatus(410).outcome).toBe('permanent');
    expect(classifyStatus(408).outcome).toBe('transient');
    expect(classifyStatus(429).outcome).toBe('transient');
    expect(classifyStatus(503).outcome).toBe('transient');
  });
});
