import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';
import { WEBHOOK_ENDPOINT_EVENT_TYPES, WebhookEndpointEvent } from '@tsunagi/notifications';
import type { Projection } from '@tsunagi/projections';

/** What the list shows of an endpoint: never a secret, sealed or not. */
export interface WebhookEndpointView {
  webhookId: string;
  organisationId: string;
  url: string;
  description: string;
  status: 'active' | 'disabled';
  createdAt: string;
  secretRotatedAt?: string;
  disabledAt?: string;
}

/**
 * The webhook endpoints of each organisation, for listing. Rows remember the position of the last event applied, so
 * replaying events changes nothing.
 */
export class WebhookEndpointsProjection implements Projection {
  readonly name = 'webhook-endpoints';
  readonly version = 1;
  readonly eventTypes = WEBHOOK_ENDPOINT_EVENT_TYPES;
  private statements!: Record<'register' | 'rotate' | 'disable', Database.Statement>;

  setUp(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS webhook_endpoints (
        webhook_id         TEXT PRIMARY KEY,
        organisation_id    TEXT NOT NULL,
        url                TEXT NOT NULL,
        description        TEXT NOT NULL,
        status             TEXT NOT NULL,
        created_at         TEXT NOT NULL,
        secret_rotated_at  TEXT,
        disabled_at        TEXT,
        created_position   INTEGER NOT NULL,
        last_position      INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS webhook_endpoints_organisation ON webhook_endpoints (organisation_id, created_position);
    `);
    this.statements = {
      register: db.prepare(`
        INSERT INTO webhook_endpoints (webhook_id, organisation_id, url, description, status, created_at, created_position, last_position)
        VALUES (@endpointId, @organisationId, @url, @description, 'active', @at, @position, @position)
        ON CONFLICT (webhook_id) DO NOTHING`),
      rotate: db.prepare(`UPDATE webhook_endpoints SET secret_rotated_at = @at, last_position = @position WHERE webhook_id = @endpointId AND last_position < @position`),
      disable: db.prepare(
        `UPDATE webhook_endpoints SET status = 'disabled', disabled_at = @at, last_position = @position WHERE webhook_id = @endpointId AND last_position < @position`,
      ),
    };
  }

  tearDown(db: Database.Database): void {
    db.exec('DROP TABLE IF EXISTS webhook_endpoints;');
  }

  apply(recorded: RecordedEvent): void {
    const event = recorded as unknown as WebhookEndpointEvent;
    const position = recorded.position;
    switch (event.type) {
      case 'WebhookEndpointRegistered': {
        const { endpointId, organisationId, url, description, at } = event.data;
        this.statements.register.run({ endpointId, organisationId, url, description, at, position });
        return;
      }
      case 'WebhookSecretRotated':
        this.statements.rotate.run({ endpointId: event.data.endpointId, at: event.data.at, position });
        return;
      case 'WebhookEndpointDisabled':
        this.statements.disable.run({ endpointId: event.data.endpointId, at: event.data.at, position });
        return;
      default:
        return;
    }
  }
}

interface Row {
  webhook_id: string;
  organisation_id: string;
  url: string;
  description: string;
  status: 'active' | 'disabled';
  created_at: string;
  secret_rotated_at: string | null;
  disabled_at: string | null;
  created_position: number;
}

export class WebhookEndpointQueries {
  private statement?: Database.Statement;

  /** The table exists once the projection is set up (at bootstrap): prepared on first use. */
  constructor(private readonly db: Database.Database) {}

  private get list(): Database.Statement {
    this.statement ??= this.db.prepare(`SELECT * FROM webhook_endpoints WHERE organisation_id = ? AND created_position > ? ORDER BY created_position LIMIT ?`);
    return this.statement;
  }

  ofOrganisation(organisationId: string, after: number, limit: number): { view: WebhookEndpointView; position: number }[] {
    return (this.list.all(organisationId, after, limit) as Row[]).map((row) => ({
      position: row.created_position,
      view: {
        webhookId: row.webhook_id,
        organisationId: row.organisation_id,
        url: row.url,
        description: row.description,
        status: row.status,
        createdAt: row.created_at,
        ...(row.secret_rotated_at ? { secretRotatedAt: row.secret_rotated_at } : {}),
        ...(row.disabled_at ? { disabledAt: row.disabled_at } : {}),
      },
    }));
  }
}
