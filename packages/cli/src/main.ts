#!/usr/bin/env node
import type { ServiceError } from '@grpc/grpc-js';
import { CommanderError } from 'commander';
import { UsageError } from './connection';
import { EXIT_CODES, exitCodeForStatus, statusName } from './exit-codes';
import { commanderExitCode, createProgram } from './program';
import { endQuietlyOnClosedPipes } from './quiet-pipes';

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'details' in error;
}

/**
 * Sets the exit code rather than calling process.exit, so stdout is written out in full when it
 * is a pipe; every command closes its channel, so the process then ends by itself.
 */
async function main(): Promise<void> {
  // grpc-js passes an IP target as the TLS server name, which Node flags with DEP0123 on every
  // TLS call to 127.0.0.1; a user of the CLI can do nothing about it, so it is not printed.
  process.noDeprecation = true;
  endQuietlyOnClosedPipes();
  const program = createProgram((code) => (process.exitCode = code));
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = commanderExitCode(error);
    } else if (error instanceof UsageError) {
      process.stderr.write(`bookstore: ${error.message}\n\n${program.helpInformation()}`);
      process.exitCode = EXIT_CODES.usage;
    } else if (isServiceError(error)) {
      process.stderr.write(`bookstore: ${statusName(error.code)}: ${error.details}\n`);
      process.exitCode = exitCodeForStatus(error.code);
    } else {
      process.stderr.write(`bookstore: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = EXIT_CODES.unexpected;
    }
  }
}

void main();
