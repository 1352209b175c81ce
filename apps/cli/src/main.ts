import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigurationError } from '@tsunagi/platform';
import { demoCommand, generateCommand } from './commands/demo.command';
import { importCommands } from './commands/import.command';
import { exportCommand } from './commands/export.command';
import { projectionsCommand } from './commands/projections.command';
import { suggestionsCommand } from './commands/suggestions.command';
import { tokensCommand } from './commands/tokens.command';

const program = new Command('tsunagi')
  .description("tsunagi operator's CLI (reads the same settings as the API: DATA_DIR, EVENT_STORE, …)")
  .addCommand(tokensCommand())
  .addCommand(projectionsCommand())
  .addCommand(demoCommand())
  .addCommand(generateCommand())
  .addCommand(importCommands())
  .addCommand(exportCommand())
  .addCommand(suggestionsCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof ConfigurationError || error instanceof Error ? error.message : error);
  process.exit(1);
});
