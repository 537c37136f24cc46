import { AppError } from '../../shared/errors';

/** Driver and server codes that mean "the bank cannot be reached", not "the bank said no". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin shutdown
  '57P03', // cannot connect now
  '08000',
  '08001',
  '08003',
  '08006',
]);

const UNREACHABLE_MESSAGES =
  /Timeout acquiring a connection|Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed|not queryable|probe timeout/i;

/**
 * Whether a failure says the bank is out of reach (so a queueable command may wait in the outbox
 * and a cached view may be served) rather than refusing the request. Anything else is a refusal
 * and must reach the user as one.
 */
export function isConnectivityError(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'DATABASE_UNAVAILABLE' || err.code === 'OFFLINE';
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  const message = (err as { message?: unknown })?.message;
  return typeof message === 'string' && UNREACHABLE_MESSAGES.test(message);
}
