import { Command } from 'commander';
import { createEventStore } from '@tsunagi/event-store';
import { loadConfig } from '@tsunagi/platform';
import { ProjectionRunner, openReadModelDatabase } from '@tsunagi/projections';
import { progressReporter } from '../progress';
import { API_PROJECTIONS } from '../../../api/src/projections/api-projections';

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
      const store = createEventStore(config.eventStoreSettings);
      const db = openReadModelDatabase(config.readModelPath);
      const projections = API_PROJECTIONS();
      const runner = new ProjectionRunner(store, db, projections);
      // An in-memory read model (the suggestion index) is rebuilt by every API at start: nothing to do offline.
      const onDisk = projections.filter((p) => !p.inMemory).map((p) => p.name);
      try {
        for (const projection of name ? [name] : onDisk) {
          const reporter = progressReporter(projection, 'positions');
          const started = Date.now();
          await runner.rebuild(projection, (p) => reporter.update(p.position, p.headPosition, `${p.eventsApplied} events`));
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
