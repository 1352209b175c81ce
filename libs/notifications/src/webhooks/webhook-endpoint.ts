import { Decider, DomainError, DomainEvent, Principal } from '@tsunagi/domain';

/**
 * A webhook endpoint of an organisation, stream `webhook-endpoint-<endpointId>`: registered, its signing secret
 * rotated, disabled. Events are kept forever, so the secret is never in them in the clear: `secret` is the sealed
 * form (AES-256-GCM under a key derived from AUTH_TOKEN_SECRET, see secret-box.ts). The clear secret is returned
 * once, by the command that created it.
 */
export type WebhookEndpointEvent =
  | DomainEvent<
      'WebhookEndpointRegistered',
      { endpointId: string; organisationId: string; url: string; description: string; secret: string; by: string; at: string }
    >
  /** The previous secret keeps signing (beside the new one) until `previousValidUntil`. */
  | DomainEvent<'WebhookSecretRotated', { endpointId: string; organisationId: string; secret: string; previousValidUntil: string; by: string; at: string }>
  | DomainEvent<'WebhookEndpointDisabled', { endpointId: string; organisationId: string; by: string; at: string }>;

export const WEBHOOK_ENDPOINT_EVENT_TYPES: readonly WebhookEndpointEvent['type'][] = ['WebhookEndpointRegistered', 'WebhookSecretRotated', 'WebhookEndpointDisabled'];
export const WEBHOOK_ENDPOINT_STREAM_PREFIX = 'webhook-endpoint-';
export const webhookEndpointStreamId = (endpointId: string) => `${WEBHOOK_ENDPOINT_STREAM_PREFIX}${endpointId}`;

/** How long a rotated-out secret still signs: receivers get a day to switch. */
export const PREVIOUS_SECRET_VALIDITY_MS = 24 * 3600 * 1000;
export const WEBHOOK_URL_MAX_LENGTH = 2048;
export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 500;

export interface SealedSecret {
  sealed: string;
  /** Absent for the current secret. */
  validUntil?: string;
}

export interface WebhookEndpointState {
  status: 'none' | 'active' | 'disabled';
  organisationId?: string;
  url?: string;
  description?: string;
  /** The current secret first, then rotated-out ones with the time they stop signing. */
  secrets: SealedSecret[];
  registeredAt?: string;
}

export type WebhookEndpointCommand =
  | { type: 'RegisterWebhookEndpoint'; endpointId: string; organisationId: string; url: string; description: string; secret: string; by: string; at: string }
  | { type: 'RotateWebhookSecret'; endpointId: string; organisationId: string; secret: string; by: string; at: string }
  | { type: 'DisableWebhookEndpoint'; endpointId: string; organisationId: string; by: string; at: string };

const notFound = () => new DomainError('webhook.not_found', 'not_found');

export const webhookEndpointDecider: Decider<WebhookEndpointState, WebhookEndpointCommand, WebhookEndpointEvent> = {
  initialState: () => ({ status: 'none', secrets: [] }),

  decide(command, state) {
    const { endpointId, organisationId, by, at } = command;
    switch (command.type) {
      case 'RegisterWebhookEndpoint': {
        if (state.status !== 'none') throw new DomainError('webhook.already_registered', 'conflict');
        if (command.url.length > WEBHOOK_URL_MAX_LENGTH) throw new DomainError('webhook.url_refused', 'invalid', { reason: 'too_long' });
        if (command.description.length > WEBHOOK_DESCRIPTION_MAX_LENGTH) throw new DomainError('webhook.description_too_long', 'invalid');
        const { url, description, secret } = command;
        return [{ type: 'WebhookEndpointRegistered', data: { endpointId, organisationId, url, description, secret, by, at } }];
      }
      case 'RotateWebhookSecret': {
        // An endpoint of another organisation is as absent as one that does not exist.
        if (state.status === 'none' || state.organisationId !== organisationId) throw notFound();
        if (state.status === 'disabled') throw new DomainError('webhook.disabled', 'conflict');
        const previousValidUntil = new Date(Date.parse(at) + PREVIOUS_SECRET_VALIDITY_MS).toISOString();
        return [{ type: 'WebhookSecretRotated', data: { endpointId, organisationId, secret: command.secret, previousValidUntil, by, at } }];
      }
      case 'DisableWebhookEndpoint':
        if (state.status === 'none' || state.organisationId !== organisationId) throw notFound();
        if (state.status === 'disabled') return [];
        return [{ type: 'WebhookEndpointDisabled', data: { endpointId, organisationId, by, at } }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'WebhookEndpointRegistered': {
        const { organisationId, url, description, secret, at } = event.data;
        return { status: 'active', organisationId, url, description, secrets: [{ sealed: secret }], registeredAt: at };
      }
      case 'WebhookSecretRotated': {
        const [current, ...older] = state.secrets;
        const previous = current ? [{ sealed: current.sealed, validUntil: event.data.previousValidUntil }] : [];
        // Older secrets expire by themselves; those already past their time are dropped here.
        const stillValid = older.filter((s) => s.validUntil !== undefined && s.validUntil > event.data.at);
        return { ...state, secrets: [{ sealed: event.data.secret }, ...previous, ...stillValid] };
      }
      case 'WebhookEndpointDisabled':
        return { ...state, status: 'disabled' };
      default:
        return state;
    }
  },
};

/** The secrets that sign at `now`: the current one and those rotated out less than a day before. */
export function signingSecrets(state: Pick<WebhookEndpointState, 'secrets'>, now: Date): string[] {
  const at = now.toISOString();
  return state.secrets.filter((s) => s.validUntil === undefined || s.validUntil > at).map((s) => s.sealed);
}

/**
 * Who manages an organisation's webhooks: its representatives and admins; nobody else (coordinators, analysts and
 * volunteers included: the endpoints are the organisation's own systems). Decided on the organisation named in the
 * route; an endpoint of another organisation is then the decider's webhook.not_found.
 */
export function authorizeWebhookCommand(principal: Principal, organisationId: string): void {
  if (!mayManageWebhooks(principal, organisationId)) throw new DomainError('auth.forbidden', 'forbidden');
}

export function mayManageWebhooks(principal: Principal, organisationId: string): boolean {
  if (principal.role === 'admin') return true;
  return principal.role === 'organisation' && principal.organisationIds.includes(organisationId);
}
