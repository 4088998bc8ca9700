import { BookCategory } from '@bookstore/contracts';
import { Command, type CommanderError, InvalidArgumentError, Option } from 'commander';
import { CATEGORY_NAMES, parseCategory } from './categories';
import { booksCommand } from './commands/books';
import { healthCommand } from './commands/health';
import { EVENTS_PER_CALL, importCommand } from './commands/import';
import { importAuth } from './import/import-credentials';
import { recommendCommand } from './commands/recommend';
import { watchHealthCommand } from './commands/watch-health';
import { type ConnectionFlags, resolveConnection } from './connection';
import { EXIT_CODES, exitCodeHelp } from './exit-codes';
import { createOutput } from './output';

function integer(min: number, max = 2 ** 31 - 1) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return Number(value);
  };
}

function category(value: string): BookCategory {
  const parsed = parseCategory(value);
  if (parsed === undefined) throw new InvalidArgumentError(`expected ${CATEGORY_NAMES.join(', ')} or a number`);
  return parsed;
}

/** A command's action: runs it with the global flags and stores the exit code. */
type Run = (
  flags: ConnectionFlags & { json?: boolean },
  options: Record<string, unknown>,
  args: readonly string[],
) => Promise<number>;

/**
 * The `bookstore` program. Global flags take their defaults from the same environment variables
 * the Marketplace reads; commander reports bad flags, which exit 2 (see `runCli`).
 */
export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('bookstore')
    .description('Call the Recommendations service from a shell.')
    .exitOverride()
    .showHelpAfterError()
    .addOption(
      new Option('--addr <target>', 'gRPC target (host:port, dns:///host:port)')
        .env('RECOMMENDATIONS_ADDR')
        .default('localhost:50051'),
    )
    .addOption(
      new Option('--deadline <ms>', 'deadline of each call (default 5000; watch-health and import: none)').argParser(
        integer(1),
      ),
    )
    .option('--json', 'machine-readable output: one JSON document (watch-health: one per line)')
    .addOption(new Option('--ca <file>', 'CA certificate (PEM); turns TLS on').env('RECOMMENDATIONS_TLS_CA_FILE'))
    .addOption(new Option('--cert <file>', 'client certificate for mutual TLS').env('RECOMMENDATIONS_TLS_CERT_FILE'))
    .addOption(new Option('--key <file>', 'client private key for mutual TLS').env('RECOMMENDATIONS_TLS_KEY_FILE'))
    .addOption(
      new Option('--server-name <name>', 'name to verify the server certificate against').env(
        'RECOMMENDATIONS_TLS_SERVER_NAME',
      ),
    )
    .addHelpText('after', `\n${exitCodeHelp()}`);

  const action = (run: Run) =>
    async function (this: Command) {
      setExitCode(await run(this.optsWithGlobals(), this.opts(), this.args));
    };
  const connect = (flags: ConnectionFlags & { json?: boolean }) => ({
    connection: resolveConnection(flags),
    output: createOutput(flags.json === true),
  });

  program
    .command('recommend')
    .description('books of a category a user may like (Recommend)')
    .requiredOption('--category <name>', `${CATEGORY_NAMES.join(' | ')} | a number`, category)
    .option('--max <n>', 'how many books at most; 0 means the server default (3)', integer(-(2 ** 31)), 3)
    .option('--user <id>', 'the user asking', integer(-(2 ** 31)), 1)
    .action(
      action((flags, options) => {
        const { connection, output } = connect(flags);
        const query = options as { category: BookCategory; max: number; user: number };
        return recommendCommand(connection, output, query);
      }),
    );
  program
    .command('books')
    .description('the catalog, whole or one category (ListBooks stream)')
    .option(
      '--category <name>',
      `${CATEGORY_NAMES.join(' | ')} | a number`,
      category,
      BookCategory.BOOK_CATEGORY_UNSPECIFIED,
    )
    .action(
      action((flags, options) => {
        const { connection, output } = connect(flags);
        return booksCommand(connection, output, { category: options.category as BookCategory });
      }),
    );
  program
    .command('import')
    .description('import a reading history: a JSON-lines file of events, - for stdin (ImportEvents, operators only)')
    .argument('<file>', 'one ReaderEvent in JSON a line: {"eventId","userId","bookId","kind","occurredAt"}')
    .addOption(
      new Option('--token-file <file>', 'the operator bearer token (a file, never a flag value)').env(
        'BOOKSTORE_IMPORT_TOKEN_FILE',
      ),
    )
    .option('--insecure-token', 'send the token without TLS (only when TLS ends at a sidecar on this host)')
    .option(
      '--events-per-call <n>',
      'events one ImportEvents call carries; longer files take several calls (a call must end within the server connection age)',
      integer(1),
      EVENTS_PER_CALL,
    )
    .addOption(
      new Option('--compression <algorithm>', 'compress what is sent (docs/benchmarks.md: none is cheaper here)')
        .choices(['none', 'gzip'])
        .default('none'),
    )
    .action(
      action((flags, options, args) => {
        const { connection, output } = connect(flags);
        const auth = importAuth({
          channel: connection.credentials,
          tls: flags.ca !== undefined,
          tokenFile: options.tokenFile as string | undefined,
          insecureToken: options.insecureToken === true,
        });
        return importCommand(connection, output, {
          file: args[0] ?? '-',
          auth,
          compression: options.compression as 'gzip' | 'none',
          eventsPerCall: options.eventsPerCall as number,
        });
      }),
    );
  for (const [name, description, run] of [
    ['health', 'one standard health check; exit 3 unless SERVING', healthCommand],
    ['watch-health', 'stream health status changes until Ctrl+C', watchHealthCommand],
  ] as const) {
    program
      .command(name)
      .description(description)
      .option('--service <name>', 'service name (the empty name is the overall status)', '')
      .action(
        action((flags, options) => {
          const { connection, output } = connect(flags);
          return run(connection, output, { service: options.service as string });
        }),
      );
  }
  return program;
}

/** Commander's own exits: help asked for (exit 0 there) stays 0, any complaint about the flags is usage (2). */
export function commanderExitCode(error: CommanderError): number {
  return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
}
