import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, AppConfig, createLogger, sendProblem, validationProblem } from '@tsunagi/platform';
import { mountQueueDashboard } from './admin-queues/queue-dashboard';
import { ApiModule } from './api.module';

const MAX_BODY_DEPTH = 32;

/** How deeply a parsed JSON value nests, counted without recursion (the input may be hostile). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Builds the HTTP API exactly as production runs it; e2e tests use this too. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const httpLogger = new Logger('http');
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: true,
    // Errors Fastify's router answers by itself (a path parameter over maxParamLength: 414, a bad URL) are problem+json too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(request, reply, error, httpLogger),
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, {
    logger: createLogger(config),
    abortOnError: false,
  });
  // Bodies nested deeper than any DTO would make validation recurse out of stack (a 500): refuse them first.
  app.getHttpAdapter().getInstance().addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (nestingDepth(request.body) > MAX_BODY_DEPTH) {
      sendProblem(request, reply, new ApiError(400, 'request.too_deeply_nested', { max: MAX_BODY_DEPTH }), httpLogger);
      return reply;
    }
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: validationProblem,
    }),
  );
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('tsunagi API')
      .setDescription('つなぎ: matching and SDC meetings for Kawasaki. Errors are RFC 9457 problem+json with a stable `code`.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await mountQueueDashboard(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
