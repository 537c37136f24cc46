import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, label, openAs, saveScreen, test } from './fixtures';
import { startHostProcess, type HostProcess } from './host';
import { TcpProxy } from '../integration/tcp-proxy';

/**
 * A supervisor decides while her workstation cannot reach the bank (ARCHITECTURE 6). Her
 * workstation is its own host process, talking to the bank's PostgreSQL through a TCP proxy the
 * test cuts and restores; the teller works on the bank's main host. Needs a bank server.
 */
test.skip(!process.env.E2E_DATABASE_URL, 'offline work needs a bank PostgreSQL server (E2E_DATABASE_URL)');

const OPEN_FISCAL_YEAR = `insert into ledger_fiscal_years (id, starts_on, ends_on, created_at)
   select '${randomUUID()}', '2026-01-01', '2026-12-31', now()
    where not exists (select 1 from ledger_fiscal_years)`;

async function openAccountOf(page: Page, holder: string) {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Deposit accounts' })
    .click();
  const row = page.getByTestId('deposit-accounts').locator('tbody tr', { hasText: holder });
  await row.getByRole('link', { name: /^DA-\d{6}$/ }).click();
  await expect(page.getByTestId('holder')).toContainText(holder);
}

async function movement(page: Page, kind: 'Record deposit' | 'Initiate withdrawal', amount: string) {
  await page.getByRole('button', { name: kind }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Amount').fill(amount);
  await dialog.getByLabel('Reference').fill(kind === 'Record deposit' ? 'Counter 1' : 'Payout');
  await dialog.getByLabel('Amount').press('Enter');
  await expect(dialog).toHaveCount(0);
}

test('a supervisor approves a withdrawal while offline; it reaches the bank when the link returns', async ({
  browser,
  page,
  bank,
}, testInfo) => {
  test.setTimeout(180_000);
  const committee = randomUUID();
  await bank.tamper([
    OPEN_FISCAL_YEAR,
    `insert into governance_committees (id, name, created_at) values ('${committee}', 'Cash desk', now())`,
    `insert into governance_committee_members (committee_id, user_id, added_at)
       select '${committee}', id, now() from staff_users where username in ('sofia', 'ada')`,
    `update governance_policy_tiers set committee_id = '${committee}', threshold = 1
      where process_type = 'withdraw'`,
  ]);

  // Sofia's workstation: its own app, reaching the bank through a link the test controls.
  const target = new URL(bank.database!);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  const viaProxy = new URL(target.toString());
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  let workstation: HostProcess | null = null;
  const context = await browser.newContext();
  try {
    workstation = await startHostProcess({ database: viaProxy.toString(), workstation: 'WS-SOFIA' });
    const sofia = await context.newPage();
    await openAs(sofia, workstation.url, 'sofia');
    await sofia.getByRole('link', { name: 'Approvals' }).first().click();
    await expect(sofia.getByRole('heading', { level: 1, name: 'Approvals' })).toBeVisible();

    await openAs(page, bank.urlFor('WS-TINA'), 'tina');
    await openAccountOf(page, 'James Okafor');
    await movement(page, 'Record deposit', '1000.00');
    await movement(page, 'Initiate withdrawal', '200.00');
    const row = page.getByTestId('withdrawals').locator('tbody tr').first();
    await expect(row.getByTestId('withdrawal-status')).toHaveText('Pending approval');

    const item = sofia.locator('tr[data-process]', { hasText: '$200.00' });
    await test.step('the withdrawal appears live in sofia’s inbox', async () => {
      await expect(item).toBeVisible();
      // The workstation copies the inbox for offline use right after each change.
      await sofia.waitForTimeout(1_500);
    });

    await test.step('the link is cut: the status bar says offline and how old the data is', async () => {
      await proxy.cut();
      const status = sofia.getByTestId('status-connection');
      await expect(status).toHaveAttribute('data-state', 'offline', { timeout: 15_000 });
      await expect(sofia.getByTestId('status-data-age')).toContainText('Data as of');
      // A procedure that cannot wait is refused at once, with the reason.
      await sofia.getByRole('link', { name: 'Committees' }).first().click();
      await expect(sofia.getByText(label('errors.OFFLINE'))).toBeVisible();
      await sofia.getByRole('link', { name: 'Approvals' }).first().click();
      await expect(sofia.getByTestId('approvals-offline')).toContainText('copy of your inbox');
    });

    await test.step('sofia approves offline: the vote is queued on her workstation', async () => {
      await item.click();
      await sofia.keyboard.press('a');
      await expect(sofia.getByText(label('offline.queuedToast'))).toBeVisible();
      await expect(item.getByTestId('vote-queued')).toBeVisible();
      await expect(sofia.getByTestId('status-outbox')).toContainText('1 decision waiting to be sent');
      await saveScreen(sofia, testInfo, 'approvals-offline-queued');
      await expect(row.getByTestId('withdrawal-status')).toHaveText('Pending approval');
    });

    await test.step('the link returns: the vote replays by itself and tina confirms', async () => {
      await proxy.restore();
      await expect(sofia.getByTestId('status-connection')).toHaveAttribute('data-state', 'online', {
        timeout: 20_000,
      });
      await expect(row.getByTestId('withdrawal-status')).toHaveText('Approved: awaiting confirmation', {
        timeout: 20_000,
      });
      await row.getByRole('button', { name: 'Confirm payout' }).click();
      await expect(row.getByTestId('withdrawal-status')).toHaveText('Confirmed');
      await expect(page.getByTestId('settled')).toHaveText('$800.00');
    });

    await test.step('sofia’s outbox shows the vote accepted by the bank', async () => {
      await sofia.getByRole('link', { name: 'Outbox' }).first().click();
      const entry = sofia.locator('tr[data-status]').first();
      await expect(entry).toHaveAttribute('data-status', 'done');
      await expect(entry).toContainText('Accepted by the bank');
      await expect(entry).toContainText('WS-SOFIA');
      await saveScreen(sofia, testInfo, 'outbox');
    });
  } finally {
    await context.close();
    await workstation?.stop();
    await proxy.stop();
  }
});
