import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ApiError, AppConfig, REDIS, TokenService, sendProblem } from '@tsunagi/platform';
import { MONITORED_QUEUES } from './admin-queues.controller';

/** Where the bull-board dashboard lives. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** Set when an admin opens the dashboard with a bearer token, so the page's own requests carry it (HttpOnly, this path only). */
export const QUEUE_DASHBOARD_COOKIE = 'tsunagi_queues';

/**
 * The part of bull-board used here, typed by hand: the packages are loaded when present (`npm install` puts them
 * there, package.json lists them), so the build and the type check do not depend on their type definitions.
 */
interface BullBoardModules {
  createBullBoard(options: { queues: readonly unknown[]; serverAdapter: unknown; options?: { uiConfig?: { boardTitle?: string } } }): unknown;
  BullMQAdapter: new (queue: Queue, options?: { readOnlyMode?: boolean }) => unknown;
  FastifyAdapter: new () => { setBasePath(path: string): unknown; registerPlugin(): FastifyPluginCallback };
}

export function loadBullBoard(): BullBoardModules | undefined {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createBullBoard } = require('@bull-board/api') as Pick<BullBoardModules, 'createBullBoard'>;
    const { BullMQAdapter } = require('@bull-board/api/bullMQAdapter') as Pick<BullBoardModules, 'BullMQAdapter'>;
    const { FastifyAdapter } = require('@bull-board/fastify') as Pick<BullBoardModules, 'FastifyAdapter'>;
    /* eslint-enable @typescript-eslint/no-require-imports */
    return { createBullBoard, BullMQAdapter, FastifyAdapter };
  } catch {
    return undefined;
  }
}

function tokenOf(request: FastifyRequest): { token: string; fromHeader: boolean } | undefined {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (bearer) return { token: bearer[1], fromHeader: true };
  const cookies = typeof request.headers.cookie === 'string' ? request.headers.cookie.split(';') : [];
  for (const cookie of cookies) {
    const [name, ...value] = cookie.trim().split('=');
    if (name === QUEUE_DASHBOARD_COOKIE && value.length) return { token: value.join('='), fromHeader: false };
  }
  return undefined;
}

/**
 * bull-board at /admin/queues, for admins only. Its routes are Fastify's, outside Nest's global guard, so a hook in
 * their scope does the guard's work: a bearer token (header, or the cookie set when an admin first opened the page
 * with one), the admin role, problem+json otherwise. Its queues use the API's fail-fast Redis client.
 */
export async function mountQueueDashboard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const logger = new Logger('queue-dashboard');
  const tokens = app.get(TokenService);
  const redis = app.get<Redis>(REDIS);
  const bullBoard = loadBullBoard();
  const queues = MONITORED_QUEUES.map((name) => new Queue(name, { connection: redis, prefix: config.NOTIFY_QUEUE_PREFIX }));
  for (const queue of queues) queue.on('error', () => undefined);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onClose', async () => {
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
  });

  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const found = tokenOf(request);
        let refusal: ApiError | undefined;
        if (!found) refusal = new ApiError(401, 'auth.missing_token');
        else {
          try {
            if (tokens.verify(found.token).role !== 'admin') refusal = new ApiError(403, 'auth.forbidden');
          } catch {
            refusal = new ApiError(401, 'auth.invalid_token');
          }
        }
        if (refusal) {
          sendProblem(request, reply, refusal, logger);
          return reply;
        }
        if (found!.fromHeader) {
          const secure = config.NODE_ENV === 'production' ? '; Secure' : '';
          reply.header('Set-Cookie', `${QUEUE_DASHBOARD_COOKIE}=${found!.token}; Path=${QUEUE_DASHBOARD_PATH}; HttpOnly; SameSite=Strict${secure}`);
        }
        reply.header('Cache-Control', 'no-store');
      });
      if (!bullBoard) {
        logger.warn('bull-board is not installed (npm install): /admin/queues answers 503');
        scope.all('/*', async (request, reply) => {
          sendProblem(request, reply, new ApiError(503, 'service.unavailable'), logger);
          return reply;
        });
        scope.all('/', async (request, reply) => {
          sendProblem(request, reply, new ApiError(503, 'service.unavailable'), logger);
          return reply;
        });
        return;
      }
      const serverAdapter = new bullBoard.FastifyAdapter();
      serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
      bullBoard.createBullBoard({
        queues: queues.map((queue) => new bullBoard.BullMQAdapter(queue)),
        serverAdapter,
        options: { uiConfig: { boardTitle: 'tsunagi queues' } },
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}
