import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { createEventStore } from '@tsunagi/event-store';
import { loadConfig } from '@tsunagi/platform';
import { ProjectionRunner, RebuildProgress, openReadModelDatabase } from '@tsunagi/projections';
import { API_PROJECTIONS } from '../../../api/src/projections/api-projections';

/** A progress bar on a terminal; a line every few seconds (and at the end) when output goes to a file or CI log. */
function progressReporter(name: string): { update(progress: RebuildProgress): void; done(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: `${name} [{bar}] {percentage}% | {value}/{total} positions | {events} events`, stream: process.stderr }, Presets.shades_classic);
    let started = false;
    return {
      update: (p) => {
        if (!started) bar.start(p.headPosition, 0, { events: 0 });
        started = true;
        bar.setTotal(p.headPosition);
        bar.update(p.position, { events: p.eventsApplied });
      },
      done: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      if (p.fraction < 1 && Date.now() - last < 2_000) return;
      last = Date.now();
      process.stderr.write(`${name}: ${(p.fraction * 100).toFixed(1)} % (${p.position}/${p.headPosition} positions, ${p.eventsApplied} events)\n`);
    },
    done: () => undefined,
  };
}

export function projectionsCommand(): Command {
  const projections = new Command('projections').description('Read models kept by the API');
  projections
    .command('rebuild')
    .argument('[name]', 'one projection; all when omitted')
    .description(
      "Drop read models and replay them from position 0 into this machine's read-model file (READ_MODEL_PATH). " +
        'Stop the API first, or use POST /api/admin/projections/<name>/rebuild on a running one.',
    )
    .action(async (name?: string) => {
      const config = loadConfig();
      const store = createEventStore(
        config.EVENT_STORE === 'sqlite'
          ? { adapter: 'sqlite', path: config.eventStorePath, durability: config.EVENT_STORE_DURABILITY }
          : { adapter: 'eventstoredb', connectionString: config.EVENTSTORE_CONNECTION_STRING! },
      );
      const db = openReadModelDatabase(config.readModelPath);
      const projections = API_PROJECTIONS();
      const runner = new ProjectionRunner(store, db, projections);
      // An in-memory read model (the suggestion index) is rebuilt by every API at start: nothing to do offline.
      const onDisk = projections.filter((p) => !p.inMemory).map((p) => p.name);
      try {
        for (const projection of name ? [name] : onDisk) {
          const reporter = progressReporter(projection);
          const started = Date.now();
          await runner.rebuild(projection, (p) => reporter.update(p));
          reporter.done();
          process.stdout.write(`Rebuilt ${projection} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        }
      } finally {
        await runner.stop();
        db.close();
        await store.close();
      }
    });
  return projections;
}
