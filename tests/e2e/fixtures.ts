import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { permissionsOf, type Role } from '../../shared/permissions';
import { SCREENS } from '../../renderer/src/navigation';
import { RESOURCES } from '../../renderer/src/i18n/resources';
import {
  createServerDatabase,
  databaseName,
  dropServerDatabase,
  runOnServer,
  startHostProcess,
  type HostProcess,
} from './host';

export { expect };

/** 'demo': the demo bank with its staff; 'empty': a database with no bank (the setup screen). */
export type BankMode = 'demo' | 'empty';

export interface Bank {
  /** The host's URL with its token. It changes when the host restarts (see tamper). */
  readonly url: string;
  /** The URL for a browser tab that is its own workstation. */
  urlFor(workstation: string): string;
  readonly kind: 'embedded' | 'server';
  /**
   * Runs SQL on the bank's database behind the app's back, as its owner, in one transaction.
   * An embedded database cannot be opened by two processes: the host is stopped, the SQL runs,
   * and a new host starts on the same data (new URL, so pages must navigate to `url` again).
   */
  tamper(statements: string[]): Promise<void>;
  /** The bank server database's URL (server mode only): for a second workstation's host. */
  readonly database?: string;
}

const readJson = (path: string) =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../..', path), 'utf8'));

export const DEMO = readJson('resources/demo/demo-bank.json') as {
  bankName: string;
  businessDate: string;
  password: string;
  staff: { username: string; fullName: string; roles: Role[] }[];
};

/** A translated label by its key ('nav.audit'), from the renderer's own catalogs. */
export function label(key: string, lang: 'en' | 'es' = 'en'): string {
  let node: unknown = RESOURCES[lang];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'string') throw new Error(`no ${lang} label ${key}`);
  return node;
}

/**
 * The screens a demo user's roles open, in navigation order, by label: what the navigation and the
 * palette must offer, derived from the permission table (shared/permissions) and the screen list.
 */
export function screensOf(username: string, lang: 'en' | 'es' = 'en'): string[] {
  const user = DEMO.staff.find((s) => s.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  const granted = permissionsOf(user.roles);
  return SCREENS.filter((s) => !s.permission || granted.has(s.permission)).map((s) =>
    label(s.labelKey, lang),
  );
}

/** Every screen's label, in navigation order. */
export const ALL_SCREENS = SCREENS.map((s) => label(s.labelKey));

function tmpRoot(): string {
  const root = process.env.E2E_TMP_ROOT ?? join(tmpdir(), 'bank-e2e-adhoc');
  mkdirSync(root, { recursive: true });
  return root;
}

/** A fresh bank per test: its own database and its own host process, stopped afterwards. */
export const test = base.extend<{ bankMode: BankMode; bank: Bank }>({
  bankMode: ['demo', { option: true }],

  // A journey that passes while the page throws is not a pass: uncaught errors and unhandled
  // rejections in the renderer fail the test.
  page: async ({ page }, use) => {
    const errors = watchErrors(page);
    await use(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },

  bank: async ({ bankMode }, use, testInfo) => {
    const server = process.env.E2E_DATABASE_URL;
    const demo = bankMode === 'demo';
    const logs: string[] = [];
    let host: HostProcess;
    let bank: Bank;
    let cleanup: () => Promise<void>;

    if (server) {
      const template = demo ? process.env.E2E_DEMO_TEMPLATE_DB : undefined;
      const name = databaseName('bank_e2e');
      const database = await createServerDatabase(server, name, template);
      cleanup = () => dropServerDatabase(server, name);
      host = await startHostProcess({ database, demo }).catch(async (err) => {
        await cleanup();
        throw err;
      });
      bank = {
        kind: 'server',
        get url() {
          return host.url;
        },
        urlFor: (ws) => `${host.url}&ws=${encodeURIComponent(ws)}`,
        tamper: (statements) => runOnServer(database, statements),
        database,
      };
    } else {
      const dataDir = mkdtempSync(join(tmpRoot(), 'bank-'));
      const template = demo ? process.env.E2E_DEMO_TEMPLATE_DIR : undefined;
      cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
      if (template) cpSync(template, dataDir, { recursive: true });
      host = await startHostProcess({ dataDir, demo }).catch(async (err) => {
        await cleanup();
        throw err;
      });
      bank = {
        kind: 'embedded',
        get url() {
          return host.url;
        },
        urlFor: (ws) => `${host.url}&ws=${encodeURIComponent(ws)}`,
        async tamper(statements) {
          await host.stop();
          logs.push(host.output());
          const { PGlite } = await import('@electric-sql/pglite');
          const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
          // The bank's schema uses pg_trgm (customer search): the database opens with it, as the app does.
          const db = new PGlite({ dataDir, extensions: { pg_trgm } });
          try {
            await db.transaction(async (tx) => {
              for (const s of statements) await tx.exec(s);
            });
          } finally {
            await db.close();
          }
          host = await startHostProcess({ dataDir });
        },
      };
    }

    try {
      await use(bank);
    } finally {
      await host.stop();
      logs.push(host.output());
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('host-output.txt', {
          body: logs.join('\n---- restart ----\n'),
          contentType: 'text/plain',
        });
      }
      await cleanup();
    }
  },
});

// ---- Page helpers shared by the journeys ----

/** Collects the page's uncaught errors (and unhandled rejections) as they happen. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Fills the sign-in form and submits it (does not wait for the outcome). */
export async function signIn(page: Page, username: string, password: string = DEMO.password): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the app and signs in as a demo user; resolves on the home screen. */
export async function openAs(page: Page, url: string, username: string, password: string = DEMO.password) {
  await page.goto(url);
  await signIn(page, username, password);
  const fullName = DEMO.staff.find((s) => s.username === username)?.fullName ?? username;
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${fullName}` })).toBeVisible();
}

export function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main navigation' });
}

/** Saves a screenshot of a journey's key screen for people to look at: test-results/e2e/screens/NAME.png. */
export async function saveScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: join(testInfo.project.outputDir, 'screens', `${name}.png`), fullPage: true });
}

/**
 * SQL that gives the demo bank an open fiscal year and USD ledger accounts under chart nodes, for
 * journeys that need ledger accounts before the modules that create them exist. Run with bank.tamper.
 */
export function ledgerSeed(
  accounts: { id: string; code: string; name: string; normal: 'debit' | 'credit'; chartCode: string }[],
): string[] {
  return [
    `insert into ledger_fiscal_years (id, starts_on, ends_on, created_at)
       select '${randomUUID()}', '2026-01-01', '2026-12-31', now()
        where not exists (select 1 from ledger_fiscal_years)`,
    `insert into ledger_accounts (id, code, name, normal_balance, currency, created_at) values
       ${accounts.map((a) => `('${a.id}', '${a.code}', '${a.name}', '${a.normal}', 'USD', now())`).join(',\n       ')}`,
    ...accounts.map(
      (a) => `insert into ledger_set_members (set_id, account_id)
       select id, '${a.id}'::uuid from ledger_account_sets where code = 'chart:${a.chartCode}'`,
    ),
  ];
}
