import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { createEventStore, SystemClock } from '@tsunagi/event-store';
import { CommandExecutor, loadConfig } from '@tsunagi/platform';
import { CsvFileError, readCsv } from '../imports/csv-rows';
import { OPPORTUNITY_COLUMNS, OPPORTUNITY_IMPORT } from '../imports/opportunity-import';
import { ImportKind, ORGANISATION_COLUMNS, ORGANISATION_IMPORT, PERSON_COLUMNS, PERSON_IMPORT, RowOutcome, importRows } from '../imports/participant-import';
import { progressReporter } from '../progress';

/** One line per row on stdout (line number, outcome, id or reason: never a name or address), a summary on stderr. */
function report(outcomes: RowOutcome[], dryRun: boolean): void {
  for (const o of outcomes) {
    const detail = o.outcome === 'rejected' ? `${o.reason}${o.id ? ` (${o.id})` : ''}` : o.outcome === 'merged' ? `${o.id} (+ ${o.added.join(', ')})` : o.id;
    process.stdout.write(`line ${o.line}: ${o.outcome} ${detail}\n`);
  }
  const count = (what: RowOutcome['outcome']) => outcomes.filter((o) => o.outcome === what).length;
  process.stderr.write(
    `${dryRun ? 'Dry run (nothing written): ' : ''}${outcomes.length} rows: ${count('created')} created, ${count('merged')} merged into existing records, ` +
      `${count('unchanged')} already there, ${count('rejected')} rejected\n`,
  );
}

function importCommand<Profile, Command_, Context>(name: string, what: string, kind: ImportKind<Profile, Command_, Context>, columns: Record<string, readonly string[]>, required: string[], identity = 'normalised name + ward + contact address'): Command {
  return new Command(name)
    .argument('<csv>', 'a CSV file (UTF-8 with or without BOM, or Shift_JIS), headers in Japanese or English')
    .option('--dry-run', 'check every row and report what would happen, writing nothing')
    .description(`Import ${what}: de-duplicated by ${identity}, row by row, safe to run again`)
    .action(async (file: string, options: { dryRun?: boolean }) => {
      let rows;
      try {
        rows = readCsv(readFileSync(file), columns, required);
      } catch (error) {
        if (error instanceof CsvFileError) throw new Error(`${file}: ${error.message}`);
        throw error;
      }
      const config = loadConfig();
      const store = createEventStore(config.eventStoreSettings);
      try {
        const reporter = progressReporter(`import ${name}`, 'rows');
        const outcomes = await importRows(store, new CommandExecutor(store, new SystemClock()), kind, rows, {
          dryRun: options.dryRun,
          onProgress: (done, total) => reporter.update(done, total, ''),
        });
        reporter.done();
        report(outcomes, !!options.dryRun);
        if (outcomes.some((o) => o.outcome === 'rejected')) process.exitCode = 2;
      } finally {
        await store.close();
      }
    });
}

export function importCommands(): Command {
  return new Command('import')
    .description("Bring in the city's activity lists (rejected rows make the exit code 2; the good rows are imported)")
    .addCommand(importCommand('organisations', 'organisations', ORGANISATION_IMPORT, ORGANISATION_COLUMNS, ['name', 'type', 'ward']))
    .addCommand(importCommand('people', 'people', PERSON_IMPORT, PERSON_COLUMNS, ['name', 'email', 'ward']))
    .addCommand(importCommand('opportunities', 'volunteer roles of organisations already in tsunagi', OPPORTUNITY_IMPORT, OPPORTUNITY_COLUMNS, ['organisation', 'title', 'ward'], 'organisation + normalised title + ward'));
}
