import 'reflect-metadata';
import { ConfigurationError, loadConfig } from '@tsunagi/platform';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  console.log(`tsunagi API listening on ${url} (docs ${url}/docs, health ${url}/health, event store: ${config.EVENT_STORE})`);
}

main().catch((error) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
