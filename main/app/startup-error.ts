import { AppError } from '../../shared/errors';
import { CredentialsError } from './credentials';

/** A startup failure whose message is written for the person at the workstation. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

function param(err: AppError, name: string): string {
  const value = err.params[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : 'unknown';
}

/**
 * Turns why the app could not start into a title and a message for an error box: what happened
 * and what to do, never a stack trace.
 */
export function describeStartupError(err: unknown): { title: string; message: string } {
  if (err instanceof StartupError) return { title: err.title, message: err.message };
  if (err instanceof CredentialsError) return { title: 'Database credentials', message: err.message };
  if (err instanceof AppError && err.code === 'SCHEMA_TOO_NEW') {
    return {
      title: 'Database is newer than this application',
      message:
        `The bank database has been upgraded by a newer version of this application (its schema ` +
        `is at ${param(err, 'found')}; this version supports up to ${param(err, 'supported')}). ` +
        'Install the current version of the application to use it. Nothing was changed in the database.',
    };
  }
  if (err instanceof AppError && err.code === 'DATABASE_UNAVAILABLE') {
    return {
      title: 'Bank database unavailable',
      message:
        `Could not connect to the bank database at ${param(err, 'target')} (${param(err, 'reason')}). ` +
        'Check the network connection and the database address, then start the application again.',
    };
  }
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return {
    title: 'The application could not start',
    message: `The application could not start: ${detail || 'unknown error'}.`,
  };
}
