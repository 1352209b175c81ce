import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { Observable, from, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { ApiError } from '../errors/api-error';
import { toApiError } from '../errors/problem-details.filter';
import { whenReady } from '../redis/redis-connection';
import { REDIS } from '../redis/redis-tokens';
import type { CommandRequest } from './request-context';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
const PENDING_SECONDS = 60;
const KEEP_SECONDS = 24 * 3600;
const HTTP_CODE_METADATA = '__httpCode__';

interface StoredOutcome {
  state: 'pending' | 'done';
  fingerprint: string;
  status?: number;
  body?: unknown;
  error?: { code: string; params: Record<string, unknown>; extensions: Record<string, unknown> };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A caller's Idempotency-Key as one scope (keys are per caller): it names the stored outcome and seeds event ids. */
export const idempotencyScope = (subject: string | undefined, key: string) => sha256(`${subject ?? 'anonymous'}\n${key}`);
/** Where a scope's outcome is kept in Redis. */
export const idempotencyRedisKey = (scope: string) => `tsunagi:idempotency:${scope}`;

/**
 * `Idempotency-Key` on writes: the same key and request returns the first response and writes nothing new;
 * the same key with another request is 422. Outcomes are kept in Redis (shared by every API instance) for
 * 24 hours. The key also seeds the event ids (see CommandExecutor), so a retry after a crash that lost the
 * stored outcome still finds the events it already wrote.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<CommandRequest>();
    const key = request.headers['idempotency-key'];
    if (!WRITE_METHODS.has(request.method) || key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) return throwError(() => new ApiError(400, 'idempotency.key_invalid'));
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const scope = idempotencyScope(request.principal?.subject, key);
    const fingerprint = sha256(canonical([request.method, request.url, request.body ?? null]));
    const redisKey = idempotencyRedisKey(scope);
    const successStatus = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);

    return from(this.claim(redisKey, fingerprint)).pipe(
      mergeMap((earlier) => {
        if (earlier) return this.replay(earlier, fingerprint, reply);
        request.idempotencyScope = scope;
        return next.handle().pipe(
          mergeMap((body) => from(this.remember(redisKey, { state: 'done', fingerprint, status: successStatus, body })).pipe(mergeMap(() => of(body)))),
          catchError((error: unknown) => from(this.rememberFailure(redisKey, fingerprint, error)).pipe(mergeMap(() => throwError(() => error)))),
        );
      }),
    );
  }

  /** Claims the key for this request; returns the earlier outcome when the key was used before. */
  private async claim(redisKey: string, fingerprint: string): Promise<StoredOutcome | undefined> {
    try {
      await whenReady(this.redis);
      const pending: StoredOutcome = { state: 'pending', fingerprint };
      if (await this.redis.set(redisKey, JSON.stringify(pending), 'EX', PENDING_SECONDS, 'NX')) return undefined;
      const stored = await this.redis.get(redisKey);
      return stored ? (JSON.parse(stored) as StoredOutcome) : this.claim(redisKey, fingerprint);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(503, 'service.unavailable');
    }
  }

  private replay(earlier: StoredOutcome, fingerprint: string, reply: FastifyReply): Observable<unknown> {
    if (earlier.fingerprint !== fingerprint) return throwError(() => new ApiError(422, 'idempotency.key_reused'));
    if (earlier.state === 'pending') return throwError(() => new ApiError(409, 'idempotency.in_progress'));
    void reply.header('idempotent-replayed', 'true');
    if (earlier.error) return throwError(() => new ApiError(earlier.status!, earlier.error!.code, earlier.error!.params, earlier.error!.extensions));
    void reply.status(earlier.status!);
    return of(earlier.body);
  }

  private async remember(redisKey: string, outcome: StoredOutcome): Promise<void> {
    await this.redis.set(redisKey, JSON.stringify(outcome), 'EX', KEEP_SECONDS).catch(() => undefined);
  }

  /** A refusal is an outcome worth repeating; a conflict or a server error is not: the retry may succeed. */
  private async rememberFailure(redisKey: string, fingerprint: string, error: unknown): Promise<void> {
    const apiError = toApiError(error);
    if (apiError.status >= 500 || apiError.status === 409 || apiError.status === 429) {
      await this.redis.del(redisKey).catch(() => undefined);
      return;
    }
    await this.remember(redisKey, {
      state: 'done',
      fingerprint,
      status: apiError.status,
      error: { code: apiError.code, params: apiError.params, extensions: apiError.extensions },
    });
  }
}
