import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_DEMO_CITY, DEMO_CITY_STREAM, DemoCityOptions, loadDemoCity, loadedDemoCity } from '@tsunagi/demo-city';
import { EventStore, SystemClock, createEventStore } from '@tsunagi/event-store';
import { AppConfig, CommandExecutor, loadConfig } from '@tsunagi/platform';
import { SdcBootstrap } from '../../../api/src/sdcs/sdc-bootstrap';
import { DispatchCheckpoints } from '../../../worker/src/notifications/dispatch-checkpoint';
import { progressReporter } from '../progress';

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not ${value}`);
  return n;
};

interface SizeOptions {
  seed: number;
  people: number;
  organisations: number;
  months: number;
  until: string;
}

/** Today in Asia/Tokyo, where the history ends by default. */
function tokyoToday(): string {
  return new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
}

function sizeOptions(command: Command, defaults: { people: number; organisations: number; months: number }): Command {
  return command
    .option('--seed <n>', 'the seed: the same seed and sizes give the same city', positiveInt('--seed'), DEFAULT_DEMO_CITY.seed)
    .option('--people <n>', 'residents', positiveInt('--people'), defaults.people)
    .option('--organisations <n>', 'organisations', positiveInt('--organisations'), defaults.organisations)
    .option('--until <date>', 'the last day of the history (YYYY-MM-DD, Asia/Tokyo)', tokyoToday());
}

/**
 * Loads a generated city into the configured event store: the SDCs first (as the API would establish them), then
 * the history. The notification worker is told to start after it, so a year of past proposals sends no e-mail.
 */
async function load(config: AppConfig, store: EventStore, options: DemoCityOptions): Promise<void> {
  await new SdcBootstrap(new CommandExecutor(store, new SystemClock())).onApplicationBootstrap();
  const reporter = progressReporter('demo city', 'commands');
  const started = Date.now();
  const report = await loadDemoCity(store, options, (done, total) => reporter.update(done, total, ''));
  reporter.done();
  const head = await store.headPosition();
  const checkpoints = new DispatchCheckpoints(config.workerDatabasePath);
  try {
    if (checkpoints.get('notifications') === 0) checkpoints.save('notifications', head);
  } finally {
    checkpoints.close();
  }
  const refused = Object.entries(report.refused).map(([code, n]) => `${n} ${code}`).join(', ');
  process.stderr.write(
    `Loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.counts.people} people, ${report.counts.organisations} organisations, ` +
      `${report.counts.opportunities} opportunities, ${report.counts.proposals} proposals, ${report.counts.meetings} meetings, ${report.counts.spinOffs} spin-offs ` +
      `(${report.written} commands written${report.alreadyThere ? `, ${report.alreadyThere} already there from an interrupted load` : ''}${refused ? `; refused by the domain rules, as they would be for a person: ${refused}` : ''}); event store head ${head}\n`,
  );
}

export function demoCommand(): Command {
  const demo = new Command('demo').description('The demo city: a deterministic year of Kawasaki, for trying tsunagi');
  sizeOptions(demo.command('load'), DEFAULT_DEMO_CITY)
    .option('--months <n>', 'months of history', positiveInt('--months'), DEFAULT_DEMO_CITY.months)
    .addOption(new Option('--if-empty', 'load only into an event store that holds nothing but an unfinished demo (what `npm start` uses)'))
    .description('Generate and load the demo city into the event store in DATA_DIR; writes DATA_DIR/demo-city.json (ids to try the API with)')
    .action(async (options: SizeOptions & { ifEmpty?: boolean }) => {
      const config = loadConfig();
      const store = openForLoading(config);
      try {
        const existing = await loadedDemoCity(store);
        if (existing) {
          process.stderr.write(`The demo city (seed ${existing.options.seed}, until ${existing.options.until}) is loaded already.\n`);
        } else if (options.ifEmpty && !(await holdsOnlyAnUnfinishedDemo(store))) {
          process.stderr.write('The event store holds data other than the demo city: nothing loaded.\n');
          return;
        } else {
          await load(config, store, { seed: options.seed, people: options.people, organisations: options.organisations, months: options.months, until: options.until });
        }
        const record = (await loadedDemoCity(store))!;
        writeFileSync(join(resolve(config.DATA_DIR), 'demo-city.json'), `${JSON.stringify({ ...record.sample, options: record.options, counts: record.counts }, null, 2)}\n`);
      } finally {
        await store.close();
      }
    });
  return demo;
}

/** `generate history`: the same generator at benchmark sizes, over years. */
export function generateCommand(): Command {
  const generate = new Command('generate').description('Generated data for benchmarks and trials');
  sizeOptions(generate.command('history'), { people: 100_000, organisations: 5_000, months: 36 })
    .option('--years <n>', 'years of history', positiveInt('--years'), 3)
    .description('Generate a history with the demo-city generator into the event store in DATA_DIR (use an empty DATA_DIR)')
    .action(async (options: SizeOptions & { years: number }) => {
      const config = loadConfig();
      const store = openForLoading(config);
      try {
        if (await loadedDemoCity(store)) throw new Error('This event store already holds a generated history: use an empty DATA_DIR');
        await load(config, store, { seed: options.seed, people: options.people, organisations: options.organisations, months: options.years * 12, until: options.until });
      } finally {
        await store.close();
      }
    });
  return generate;
}

/**
 * The configured store; SQLite without an fsync per command (a load is tens of thousands of small commands, and
 * one cut short by a power loss is simply run again: it writes only what is missing).
 */
function openForLoading(config: AppConfig): EventStore {
  const settings = config.eventStoreSettings;
  return createEventStore(settings.adapter === 'sqlite' ? { ...settings, durability: 'normal' } : settings);
}

/** Nothing but the SDCs, or a demo load that was interrupted (its events carry the demo's correlation id). */
async function holdsOnlyAnUnfinishedDemo(store: EventStore): Promise<boolean> {
  for (const event of await store.readAll({ maxCount: 200 })) {
    const correlationId = String((event.metadata as { correlationId?: unknown }).correlationId ?? '');
    if (!correlationId.startsWith('demo-city-') && !correlationId.startsWith('bootstrap-') && event.streamId !== DEMO_CITY_STREAM) return false;
  }
  return true;
}
