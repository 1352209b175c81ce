import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigurationError, createLogger, loadConfig } from '@tsunagi/platform';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: createLogger(config, 'worker') });
  // SIGTERM/SIGINT: Nest runs the shutdown hooks, which let in-flight jobs finish before connections close.
  app.enableShutdownHooks();
  await app.init();
}

main().catch((error) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
