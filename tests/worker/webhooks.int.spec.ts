import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '@tsunagi/event-store';
import {
  Resolver,
  WebhookAddressPolicy,
  WebhookChannelSettings,
  WebhookSecretBox,
  generateWebhookSecret,
  notificationIdFor,
  verifyWebhookSignature,
  webhookEndpointDecider,
  webhookEndpointStreamId,
} from '@tsunagi/notifications';
import { NotificationPipeline } from '../../apps/worker/src/notifications/notification-pipeline';
import { Harness } from './support/harness';
import { World } from './support/world';

/**
 * Webhooks end to end through the real queue (Redis) to a REAL local HTTP receiver on 127.0.0.1 — reachable only
 * because the test policy allows that one address explicitly; the production policy refuses it.
 */

const KEY_MATERIAL = 'test-webhook-key-material-0123456789abcdef';
const box = new WebhookSecretBox(KEY_MATERIAL);

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver whose answer each test decides (status, or a redirect); it records every request. */
class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received, res: ServerResponse) => void = (_r, res) => res.writeHead(204).end();
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(r);
        this.answer(r, res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const TEST_POLICY = () => new WebhookAddressPolicy({ allowHttp: true, allowedAddresses: ['127.0.0.1'] });

describe('webhooks (real Redis, real local HTTP receiver)', () => {
  let h: Harness | undefined;
  let receiver: Receiver;

  beforeEach(async () => {
    receiver = await new Receiver().start();
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await receiver.close();
  });

  /** The harness, its pipeline rebuilt with a webhook channel (as the worker process builds it, with the policy given). */
  async function harness(webhooks: Partial<WebhookChannelSettings> = {}, attempts = 3) {
    h = await Harness.create({ attempts, backoffMs: 20 });
    await h.pipeline.close();
    h.pipeline = new NotificationPipeline(h.store, h.clock, { ...h.pipeline.settings, webhooks: { policy: TEST_POLICY(), keyMaterial: KEY_MATERIAL, ...webhooks } }, h.pipeline.mailer);
    await h.pipeline.start();
    return { h, world: new World(h.executor) };
  }

  const admin = { principal: { subject: 'admin', role: 'admin' as const, wards: [], organisationIds: [] }, correlationId: 'c', causationId: 'c' };

  /** Registers an endpoint as the API does (secret sealed in the event); returns its id and clear secret. */
  async function registerEndpoint(organisationId: string, url: string) {
    const endpointId = newId();
    const secret = generateWebhookSecret();
    await h!.executor.execute(webhookEndpointDecider, webhookEndpointStreamId(endpointId), admin, {
      command: (at) => ({ type: 'RegisterWebhookEndpoint' as const, endpointId, organisationId, url, description: 'テスト', secret: box.seal(secret, endpointId), by: 'admin', at }),
    });
    return { endpointId, secret };
  }

  async function rotate(organisationId: string, endpointId: string) {
    const secret = generateWebhookSecret();
    await h!.executor.execute(webhookEndpointDecider, webhookEndpointStreamId(endpointId), admin, {
      command: (at) => ({ type: 'RotateWebhookSecret' as const, endpointId, organisationId, secret: box.seal(secret, endpointId), by: 'admin', at }),
    });
    return secret;
  }

  /** A collaboration of a host organisation proposed to `organisationId`: the organisation is told (e-mail, webhook, inbox). */
  async function proposeTo(world: World, organisationId: string) {
    const host = await world.organisation({ name: '中原区社会福祉協議会', email: 'host@example.jp' });
    const opportunityId = await world.opportunity(host, '会場の提供', 'collaboration');
    const matchId = await world.propose(opportunityId, { type: 'organisation', id: organisationId });
    const [proposed] = await h!.store.readStream(`opportunity-${opportunityId}`, { direction: 'backwards', maxCount: 1 });
    return { opportunityId, matchId, notificationId: notificationIdFor(proposed.id, { type: 'organisation', id: organisationId }, 'webhook') };
  }

  const webhookOutcomes = async () => {
    const events = await h!.notificationEvents();
    return events.filter((e) => (e.data as { channel: string }).channel === 'webhook').map((e) => ({ type: e.type, data: e.data as Record<string, unknown> }));
  };

  it('POSTs a signed notification: Standard Webhooks headers, a signature that verifies with the secret, ids and a title only', async () => {
    const { world } = await harness();
    const org = await world.organisation({ name: 'NPO法人 なかはら子ども食堂', email: 'info@kodomo.example.jp' });
    const { secret, endpointId } = await registerEndpoint(org, receiver.url());
    const { opportunityId, matchId, notificationId } = await proposeTo(world, org);
    await h!.settle();

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request.headers['webhook-id']).toBe(notificationId);
    expect(request.headers['content-type']).toBe('application/json');
    expect(verifyWebhookSignature(secret, request.headers as Record<string, string>, request.body)).toBe(true);
    const body = JSON.parse(request.body);
    expect(body.type).toBe('match_proposed');
    expect(body.data).toEqual(expect.objectContaining({ notificationId, organisationId: org, opportunityId, matchId }));
    expect(typeof body.data.title).toBe('string');
    expect(request.body).not.toContain('info@kodomo');
    expect(await webhookOutcomes()).toEqual([{ type: 'NotificationDelivered', data: expect.objectContaining({ notificationId, channel: 'webhook' }) }]);
    // The secret is in no event, sealed only.
    const endpointEvents = JSON.stringify(await h!.store.readStream(webhookEndpointStreamId(endpointId)));
    expect(endpointEvents).not.toContain(secret.slice('whsec_'.length));
  });

  it('after a rotation signs with both secrets: a receiver holding either verifies', async () => {
    const { world } = await harness();
    const org = await world.organisation({ name: '団体', email: 'a@example.jp' });
    const { secret: old, endpointId } = await registerEndpoint(org, receiver.url());
    const fresh = await rotate(org, endpointId);
    await proposeTo(world, org);
    await h!.settle();
    const [request] = receiver.received;
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhookSignature(old, request.headers as Record<string, string>, request.body)).toBe(true);
    expect(verifyWebhookSignature(fresh, request.headers as Record<string, string>, request.body)).toBe(true);
  });

  it('a 4xx fails at once, for good, with the status only (the response body is never kept)', async () => {
    const { world } = await harness();
    receiver.answer = (_r, res) => res.writeHead(410, { 'content-type': 'text/plain' }).end('SECRET-INTERNAL-DETAIL');
    const org = await world.organisation({ name: '団体', email: 'a@example.jp' });
    await registerEndpoint(org, receiver.url());
    await proposeTo(world, org);
    await h!.settle();
    expect(receiver.received).toHaveLength(1);
    const outcomes = await webhookOutcomes();
    expect(outcomes).toEqual([{ type: 'NotificationFailed', data: expect.objectContaining({ permanent: true, reason: expect.stringContaining('HTTP 410') }) }]);
    expect(JSON.stringify(outcomes) + (await h!.dumpRedis())).not.toContain('SECRET-INTERNAL-DETAIL');
  });

  it('a 5xx is retried with backoff, then delivered under the same webhook-id', async () => {
    const { world } = await harness();
    let calls = 0;
    receiver.answer = (_r, res) => res.writeHead(++calls < 3 ? 503 : 200).end('busy');
    const org = await world.organisation({ name: '団体', email: 'a@example.jp' });
    await registerEndpoint(org, receiver.url());
    const { notificationId } = await proposeTo(world, org);
    await h!.settle();
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([notificationId, notificationId, notificationId]);
    expect((await webhookOutcomes()).map((o) => o.type)).toEqual(['NotificationDelivered']);
  });

  it('a timeout is retried too; the last attempt records why it gave up (not permanent)', async () => {
    const { world } = await harness({ timeoutMs: 150 }, 2);
    receiver.answer = () => undefined; // never answers
    const org = await world.organisation({ name: '団体', email: 'a@example.jp' });
    await registerEndpoint(org, receiver.url());
    await proposeTo(world, org);
    await h!.settle();
    expect(receiver.received).toHaveLength(2);
    expect(await webhookOutcomes()).toEqual([{ type: 'NotificationFailed', data: expect.objectContaining({ permanent: false, reason: expect.stringContaining('webhook_timeout') }) }]);
  });

  it('does not follow a redirect: one request, a permanent failure', async () => {
    const { world } = await harness();
    receiver.answer = (r, res) => (r.path === '/hook' ? res.writeHead(307, { location: receiver.url('/elsewhere') }).end() : res.writeHead(200).end());
    const org = await world.organisation({ name: '団体', email: 'a@example.jp' });
    await registerEndpoint(org, receiver.url());
    await proposeTo(world, org);
    await h!.settle();
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook']);
    expect(await webhookOutcomes()).toEqual([{ type: 'NotificationFailed', data: expect.objectContaining({ permanent: true, reason: expect.stringContaining('redirect') }) }]);
  });

  it('production policy: refuses to send when DNS now points to a private or loopback address (checked again at send time)', async () => {
    let answer = '93.184.215.14';
    const resolver: Resolver = async () => [{ address: answer, family: 4 }];
    const { world } = await harness({ policy: WebhookAddressPolicy.production(resolver) });
    const org = await world.organisation({ name: '団体', email: 'a@example.jp' });
    // Accepted when registered (public), then DNS changes.
    expect((await WebhookAddressPolicy.production(resolver).vet('https://hooks.example.org/x')).addresses).toHaveLength(1);
    await registerEndpoint(org, 'https://hooks.example.org/x');
    answer = '10.0.0.7';
    await proposeTo(world, org);
    await h!.settle();
    expect(await webhookOutcomes()).toEqual([{ type: 'NotificationFailed', data: expect.objectContaining({ permanent: true, reason: expect.stringContaining('webhook_target_refused: private') }) }]);
    // And the local receiver is out of reach for the production policy, whatever the scheme.
    await expect(WebhookAddressPolicy.production(resolver).vet(receiver.url().replace('http:', 'https:'))).rejects.toThrow('loopback');
    await sleep(50);
    expect(receiver.received).toHaveLength(0);
  });

  it('an organisation without an active endpoint gets no webhook (disabled ones included)', async () => {
    const { world } = await harness();
    const org = await world.organisation({ name: '団体', email: 'a@example.jp' });
    const { endpointId } = await registerEndpoint(org, receiver.url());
    await h!.executor.execute(webhookEndpointDecider, webhookEndpointStreamId(endpointId), admin, {
      command: (at) => ({ type: 'DisableWebhookEndpoint' as const, endpointId, organisationId: org, by: 'admin', at }),
    });
    await proposeTo(world, org);
    await h!.settle();
    expect(receiver.received).toHaveLength(0);
    expect(await webhookOutcomes()).toEqual([]);
    const channels = new Set((await h!.jobHashes()).map((j) => JSON.parse(j.data).channel));
    expect(channels).toEqual(new Set(['email', 'inbox']));
  });
});
