import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ResolvedAddress, WebhookAddressPolicy, WebhookTargetRefused, WebhookTargetUnresolvable } from './address-policy';
import { webhookSignatureHeader } from './webhook-signature';

export interface OutgoingWebhook {
  url: string;
  /** `webhook-id`: the notification id, the same on every retry (receivers deduplicate with it). */
  id: string;
  /** `webhook-timestamp`, in seconds. */
  timestamp: number;
  body: string;
  /** Every secret that signs now (two during a rotation). */
  secrets: readonly string[];
}

export type WebhookSendResult =
  | { outcome: 'delivered'; status: number }
  /** Sending it again would meet the same answer: a 4xx (except 408 and 429), a redirect, a refused address. */
  | { outcome: 'permanent'; reason: string }
  /** Worth retrying later: 5xx, 408, 429, a timeout, a connection refused or reset, DNS failing. */
  | { outcome: 'transient'; reason: string };

export interface WebhookSenderOptions {
  /** The whole exchange (connect, send, response headers), in ms. */
  timeoutMs?: number;
}

/** Connects to the addresses the policy checked, never to what a second lookup might answer. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, addresses[0].address, addresses[0].family);
  }) as unknown as LookupFunction;
}

/**
 * POSTs one signed webhook. Redirects are not followed (node:http never does; a 3xx is a permanent failure), the
 * response body is never read (the socket is dropped once the status is known), and nothing the receiver says ends
 * up in a reason: only its status code.
 */
export class WebhookSender {
  private readonly timeoutMs: number;

  constructor(
    private readonly policy: WebhookAddressPolicy,
    options: WebhookSenderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(webhook: OutgoingWebhook): Promise<WebhookSendResult> {
    let target;
    try {
      target = await this.policy.vet(webhook.url);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) return { outcome: 'permanent', reason: error.message };
      if (error instanceof WebhookTargetUnresolvable) return { outcome: 'transient', reason: error.message };
      throw error;
    }
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(webhook.body),
      'user-agent': 'tsunagi-webhooks/1',
      'webhook-id': webhook.id,
      'webhook-timestamp': String(webhook.timestamp),
      'webhook-signature': webhookSignatureHeader(webhook.secrets, webhook.id, webhook.timestamp, webhook.body),
    };
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<WebhookSendResult>((resolve) => {
      let settled = false;
      const finish = (result: WebhookSendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve(result);
      };
      const req = request(target.url, { method: 'POST', headers, lookup: pinnedLookup(target.addresses), agent: false }, (res) => {
        const status = res.statusCode ?? 0;
        res.destroy();
        finish(classifyStatus(status));
      });
      const timer = setTimeout(() => finish({ outcome: 'transient', reason: `webhook_timeout: no answer within ${this.timeoutMs} ms` }), this.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish({ outcome: 'transient', reason: `webhook_unreachable: ${error.code ?? 'connection failed'}` }));
      req.end(webhook.body);
    });
  }
}

export function classifyStatus(status: number): WebhookSendResult {
  if (status >= 200 && status < 300) return { outcome: 'delivered', status };
  if (status >= 300 && status < 400) return { outcome: 'permanent', reason: `webhook_redirect_not_followed: HTTP ${status}` };
  if (status === 408 || status === 429) return { outcome: 'transient', reason: `webhook_deferred: HTTP ${status}` };
  if (status >= 400 && status < 500) return { outcome: 'permanent', reason: `webhook_rejected: HTTP ${status}` };
  return { outcome: 'transient', reason: `webhook_failed: HTTP ${status}` };
}
