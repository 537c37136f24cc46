import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { parseShellArgs } from '../../../main/app/args';
import { CredentialsError } from '../../../main/app/credentials';
import { chooseDatabase } from '../../../main/app/database-target';
import { describeStartupError, StartupError } from '../../../main/app/startup-error';

describe('command line', () => {
  it('reads the shell flags in both forms and ignores the rest', () => {
    expect(
      parseShellArgs([
        '.',
        '--database',
        'postgres://u:p@db/bank',
        '--remember-database',
        '--workstation=TILL-3',
        '--enable-logging',
        '--user-data-dir=/tmp/u',
        '--data-dir',
        '/tmp/d',
      ]),
    ).toEqual({
      database: 'postgres://u:p@db/bank',
      rememberDatabase: true,
      workstation: 'TILL-3',
      userDataDir: '/tmp/u',
      dataDir: '/tmp/d',
    });
    expect(parseShellArgs(['--database', '--remember-database'])).toEqual({ rememberDatabase: true });
    expect(parseShellArgs([])).toEqual({ rememberDatabase: false });
  });
});

describe('database choice', () => {
  const none = () => null;
  const stored = () => 'postgres://stored@db/bank';

  it('prefers --database, then --data-dir, then the environment, then stored credentials', () => {
    const env = { BANK_DATABASE_URL: 'postgres://env@db/bank' };
    const args = { rememberDatabase: false };
    expect(chooseDatabase({ ...args, database: 'postgres://arg@db/bank' }, env, stored, '/u')).toEqual({
      target: { url: 'postgres://arg@db/bank' },
      source: 'argument',
    });
    expect(chooseDatabase({ ...args, dataDir: '/data/bank' }, env, stored, '/u')).toEqual({
      target: { dataDir: '/data/bank' },
      source: 'embedded',
    });
    expect(chooseDatabase(args, env, stored, '/u').source).toBe('environment');
    expect(chooseDatabase(args, {}, stored, '/u')).toEqual({
      target: { url: 'postgres://stored@db/bank' },
      source: 'stored',
    });
  });

  it('defaults to the embedded database in userData/bank-data', () => {
    expect(chooseDatabase({ rememberDatabase: false }, { BANK_DATABASE_URL: '  ' }, none, '/u')).toEqual({
      target: { dataDir: '/u/bank-data' },
      source: 'embedded',
    });
  });

  it('refuses an address that is not a postgres URL', () => {
    expect(() => chooseDatabase({ rememberDatabase: false, database: 'db.bank' }, {}, none, '/u')).toThrow(
      StartupError,
    );
    expect(() =>
      chooseDatabase({ rememberDatabase: false }, { BANK_DATABASE_URL: 'mysql://x@y/z' }, none, '/u'),
    ).toThrow(/BANK_DATABASE_URL must be a postgres/);
  });
});

describe('startup error messages', () => {
  it('explain a schema newer than the app', () => {
    const { title, message } = describeStartupError(
      new AppError('SCHEMA_TOO_NEW', { found: '0042_future', supported: '0007_audit' }),
    );
    expect(title).toMatch(/newer/);
    expect(message).toContain('0042_future');
    expect(message).toContain('0007_audit');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('explain an unreachable database without leaking a password', () => {
    const { title, message } = describeStartupError(
      new AppError('DATABASE_UNAVAILABLE', {
        target: 'postgres://teller:***@db:5432/bank',
        reason: 'ECONNREFUSED',
      }),
    );
    expect(title).toMatch(/unavailable/);
    expect(message).toContain('postgres://teller:***@db:5432/bank');
    expect(message).toContain('ECONNREFUSED');
  });

  it('pass our own messages through and keep only the first line of anything else', () => {
    expect(describeStartupError(new CredentialsError('no keyring')).message).toBe('no keyring');
    expect(describeStartupError(new StartupError('T', 'M'))).toEqual({ title: 'T', message: 'M' });
    const unexpected = new Error('disk full\n    at Object.<anonymous> (/app/x.js:1:1)');
    expect(describeStartupError(unexpected).message).toBe('The application could not start: disk full.');
  });
});
