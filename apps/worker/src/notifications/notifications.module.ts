import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock, EVENT_STORE, EventStore } from '@tsunagi/event-store';
import { WebhookAddressPolicy, parseQuietHours, webhookKeyMaterial } from '@tsunagi/notifications';
import { AppConfig } from '@tsunagi/platform';
import { NotificationPipeline } from './notification-pipeline';

/** Redacts the password of an smtp(s):// URL for logs. */
function redactSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = parsed.password ? '***' : '';
    return parsed.toString();
  } catch {
    return 'smtp://(unparseable)';
  }
}

/** Starts the notification pipeline with the worker and closes it first on SIGTERM, before the event store and Redis. */
@Injectable()
export class NotificationsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('notifications');
  readonly pipeline: NotificationPipeline;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(CLOCK) clock: Clock, private readonly config: AppConfig) {
    this.pipeline = new NotificationPipeline(store, clock, {
      redisUrl: config.REDIS_URL,
      prefix: config.NOTIFY_QUEUE_PREFIX,
      smtpUrl: config.SMTP_URL,
      mailFrom: config.MAIL_FROM,
      concurrency: config.NOTIFY_CONCURRENCY,
      lockMs: config.NOTIFY_LOCK_MS,
      delivery: { attempts: config.NOTIFY_ATTEMPTS, backoffMs: config.NOTIFY_BACKOFF_MS },
      checkpointPath: config.workerDatabasePath,
      quietHours: { defaultWindow: parseQuietHours(config.QUIET_HOURS), timeZone: config.QUIET_HOURS_TIME_ZONE },
      followUps: {
        matchReminderAfterMs: config.MATCH_REMINDER_AFTER_MS,
        matchExpiryAfterMs: config.MATCH_EXPIRY_AFTER_MS,
        meetingReminderBeforeMs: config.MEETING_REMINDER_BEFORE_MS,
      },
      // Production: https to public addresses only; tests also accept http (never a private address by default).
      webhooks: { policy: WebhookAddressPolicy.forEnvironment(config.NODE_ENV), keyMaterial: webhookKeyMaterial(config) },
      logger: {
        log: (message) => this.logger.log(message),
        warn: (message) => this.logger.warn(message),
        error: (message) => this.logger.error(message),
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pipeline.start();
    this.logger.log(
      `Notifications running (queue ${this.config.NOTIFY_QUEUE_PREFIX}:notifications, SMTP ${redactSmtpUrl(this.config.SMTP_URL)}, from position ${this.pipeline.dispatcher.position})`,
    );
  }

  /** In-flight jobs finish here, while the event store they record into is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.pipeline.close();
  }
}

@Module({})
export class NotificationsModule {
  static forRoot(): DynamicModule {
    return { module: NotificationsModule, providers: [NotificationsService], exports: [NotificationsService] };
  }
}
