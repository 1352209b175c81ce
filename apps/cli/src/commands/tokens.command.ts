import { Command, Option } from 'commander';
import { ROLES, Role, TokenService, loadConfig } from '@tsunagi/platform';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function tokensCommand(): Command {
  const tokens = new Command('tokens').description('Bearer tokens for development and operations');
  tokens
    .command('issue')
    .description('Print a signed bearer token (signed with AUTH_TOKEN_SECRET, or the development secret in DATA_DIR)')
    .addOption(new Option('--role <role>', 'the role the token carries').choices([...ROLES]).makeOptionMandatory())
    .option('--subject <id>', 'token subject (defaults to the person id, or a random id)')
    .option('--ward <code>', 'a ward the holder coordinates in (repeatable or comma-separated)', collect)
    .option('--organisation <id>', 'an organisation the holder acts for (repeatable or comma-separated)', collect)
    .option('--person <id>', 'the person the holder is (volunteers)')
    .option('--ttl <seconds>', 'lifetime in seconds', (v) => Number.parseInt(v, 10), 12 * 3600)
    .action((options: { role: Role; subject?: string; ward?: string[]; organisation?: string[]; person?: string; ttl: number }) => {
      if (!Number.isInteger(options.ttl) || options.ttl <= 0) throw new Error('--ttl must be a positive number of seconds');
      const token = TokenService.fromConfig(loadConfig()).issue({
        role: options.role,
        subject: options.subject,
        wards: options.ward,
        organisationIds: options.organisation,
        personId: options.person,
        expiresInSeconds: options.ttl,
      });
      process.stdout.write(`${token}\n`);
    });
  return tokens;
}
