/**
 * Errors cross the IPC boundary as plain data: a stable code for programs, a message key for people
 * (translated in the renderer), and the parameters the message needs. Nothing else leaks: no stack,
 * no SQL, no driver message.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNKNOWN_PROCEDURE: 'UNKNOWN_PROCEDURE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  WORKSTATION_LOCKED: 'WORKSTATION_LOCKED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  USER_DISABLED: 'USER_DISABLED',
  LOGIN_THROTTLED: 'LOGIN_THROTTLED',
  PASSWORD_CHANGE_REQUIRED: 'PASSWORD_CHANGE_REQUIRED',
  COMMAND_ID_REUSED: 'COMMAND_ID_REUSED',
  SETUP_ALREADY_DONE: 'SETUP_ALREADY_DONE',
  SETUP_REQUIRED: 'SETUP_REQUIRED',
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  WEAK_PASSWORD: 'WEAK_PASSWORD',
  NOT_FOUND: 'NOT_FOUND',
  CANNOT_DISABLE_SELF: 'CANNOT_DISABLE_SELF',
  LAST_ADMIN: 'LAST_ADMIN',
  OFFLINE: 'OFFLINE',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  SCHEMA_TOO_NEW: 'SCHEMA_TOO_NEW',
  CONFLICT: 'CONFLICT',
  // The ledger's refusals.
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  UNBALANCED_TRANSACTION: 'UNBALANCED_TRANSACTION',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  PERIOD_CLOSED: 'PERIOD_CLOSED',
  NO_OPEN_FISCAL_YEAR: 'NO_OPEN_FISCAL_YEAR',
  FISCAL_YEAR_EXISTS: 'FISCAL_YEAR_EXISTS',
  MONTH_NOT_OVER: 'MONTH_NOT_OVER',
  ALL_MONTHS_CLOSED: 'ALL_MONTHS_CLOSED',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  SET_CYCLE: 'SET_CYCLE',
  CHART_INVALID: 'CHART_INVALID',
  BASE_CONFIG_INVALID: 'BASE_CONFIG_INVALID',
  MONTH_MISMATCH: 'MONTH_MISMATCH',
  INTEGRATION_INVALID: 'INTEGRATION_INVALID',
  INTEGRATION_LOCKED: 'INTEGRATION_LOCKED',
  INTEGRATION_NOT_CONFIGURED: 'INTEGRATION_NOT_CONFIGURED',
  ALREADY_DECIDED: 'ALREADY_DECIDED',
  SAME_PERSON: 'SAME_PERSON',
  // Customers and onboarding (DOMAIN 2).
  // (end of customers)
  // Documents (DOMAIN 3).
  // (end of documents)
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type ErrorParams = Record<string, string | number | boolean | string[] | null>;

/** The wire shape of every failure. */
export interface ErrorPayload {
  code: ErrorCode;
  messageKey: string;
  params: ErrorParams;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly messageKey: string;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, messageKey = `errors.${code}`) {
    super(`${code}${Object.keys(params).length ? ' ' + JSON.stringify(params) : ''}`);
    this.name = 'AppError';
    this.code = code;
    this.messageKey = messageKey;
    this.params = params;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, messageKey: this.messageKey, params: this.params };
  }
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorPayload).code === 'string' &&
    typeof (value as ErrorPayload).messageKey === 'string'
  );
}
