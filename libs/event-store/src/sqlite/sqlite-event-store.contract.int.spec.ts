import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '@tsunagi/testing';
import { SqliteEventStore } from './sqlite-event-store';

// A real file per test: several connections to it stand for several processes.
const dirs: string[] = [];
let current: string | undefined;
beforeEach(() => {
  current = mkdtempSync(join(tmpdir(), 'tsunagi-contract-'));
  dirs.push(current);
});
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describeEventStoreContract('sqlite', async (options) => new SqliteEventStore({ path: join(current!, 'events.sqlite'), durability: 'normal', ...options }));
