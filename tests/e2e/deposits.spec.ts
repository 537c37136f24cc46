import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, openAs, saveScreen, test } from './fixtures';

/** An open fiscal year for the demo bank's business date: deposits and withdrawals post to the ledger. */
const OPEN_FISCAL_YEAR = `insert into ledger_fiscal_years (id, starts_on, ends_on, created_at)
   select '${randomUUID()}', '2026-01-01', '2026-12-31', now()
    where not exists (select 1 from ledger_fiscal_years)`;

/** Opens the deposit account of a demo customer from the Deposit accounts screen. */
async function openAccountOf(page: Page, holder: string) {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Deposit accounts' })
    .click();
  const row = page.getByTestId('deposit-accounts').locator('tbody tr', { hasText: holder });
  await row.getByRole('link', { name: /^DA-\d{6}$/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Deposit account DA-\d{6}$/ })).toBeVisible();
  await expect(page.getByTestId('holder')).toContainText(holder);
}

async function movement(page: Page, kind: 'Record deposit' | 'Initiate withdrawal', amount: string) {
  await page.getByRole('button', { name: kind }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Amount').fill(amount);
  await dialog.getByLabel('Reference').fill(kind === 'Record deposit' ? 'Counter 1' : 'Payout');
  await dialog.getByLabel('Amount').press('Enter');
  return dialog;
}

test('a teller takes a deposit, pays out a withdrawal and exports the history', async ({
  page,
  bank,
}, testInfo) => {
  await bank.tamper([OPEN_FISCAL_YEAR]);

  await test.step('bea finds the account opened at conversion on the customer page', async () => {
    await openAs(page, bank.url, 'bea');
    await page.getByRole('link', { name: 'Customers' }).first().click();
    await page.getByLabel('Find a customer').fill('Lucia Fernandez');
    await page.getByLabel('Find a customer').press('Enter');
    await page.getByTestId('customer-hits').getByRole('link', { name: 'Lucía Fernández' }).click();
    await expect(page.getByTestId('deposit-banner')).toHaveCount(0);
    const accounts = page.getByTestId('customer-deposit-accounts');
    await expect(accounts).toContainText('Active');
    await expect(accounts).toContainText('Recently active');
    await accounts.getByRole('link', { name: /^DA-\d{6}$/ }).click();
    await expect(page.getByTestId('holder')).toContainText('Lucía Fernández');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  await openAs(page, bank.url, 'tina');
  await openAccountOf(page, 'Lucía Fernández');

  await test.step('a locale-formatted amount is refused before calling; 1,000.00 is recorded', async () => {
    const dialog = await movement(page, 'Record deposit', '1.234,56');
    await expect(dialog.getByRole('alert')).toHaveText(
      'Type the amount as digits with the decimal mark of this language, without thousands separators: for example 1234.56.',
    );
    await dialog.getByLabel('Amount').fill('1000.00');
    await dialog.getByLabel('Method').selectOption({ label: 'Cash' });
    await dialog.getByRole('button', { name: 'Record deposit' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('settled')).toHaveText('$1,000.00');
  });

  await test.step('a withdrawal of 300.00 holds the money; auto-approved, tina confirms it', async () => {
    const dialog = await movement(page, 'Initiate withdrawal', '300.00');
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('settled')).toHaveText('$700.00');
    await expect(page.getByTestId('pending')).toHaveText('$300.00');
    const row = page.getByTestId('withdrawals').locator('tbody tr').first();
    await expect(row.getByTestId('withdrawal-status')).toHaveText('Approved: awaiting confirmation');
    await saveScreen(page, testInfo, 'deposit-account-pending');
    await row.getByRole('button', { name: 'Confirm payout' }).click();
    await expect(row.getByTestId('withdrawal-status')).toHaveText('Confirmed');
    await expect(page.getByTestId('settled')).toHaveText('$700.00');
    await expect(page.getByTestId('pending')).toHaveText('$0.00');
  });

  await test.step('a withdrawal of 800.00 is refused with the available amount', async () => {
    const dialog = await movement(page, 'Initiate withdrawal', '800.00');
    await expect(dialog.getByRole('alert')).toContainText('available balance is 700.00');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('settled')).toHaveText('$700.00');
  });

  await test.step('the history shows the running balance, newest first, and exports as CSV', async () => {
    const lines = page.getByTestId('history').locator('tbody tr');
    await expect(lines.first()).toContainText('Withdrawal');
    await expect(lines.first()).toContainText('$700.00');
    await expect(lines.last()).toContainText('Account opened');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n').length).toBeGreaterThan(2);
    await saveScreen(page, testInfo, 'deposit-account');
    // Filters are the bank's query, not a sieve over the lines already shown.
    await page.getByLabel('Show').selectOption({ label: 'Account events' });
    await expect(lines).toHaveCount(1);
    await expect(lines.first()).toContainText('Account opened');
    await page.getByLabel('Show').selectOption({ label: 'Deposits and withdrawals' });
    await expect(lines.first()).toContainText('Withdrawal');
    await expect(lines.filter({ hasText: 'Account opened' })).toHaveCount(0);
  });
});

test('a withdrawal approved on a supervisor’s workstation turns approved on the teller’s screen', async ({
  browser,
  page,
  bank,
}, testInfo) => {
  const committee = randomUUID();
  await bank.tamper([
    OPEN_FISCAL_YEAR,
    `insert into governance_committees (id, name, created_at) values ('${committee}', 'Cash desk', now())`,
    `insert into governance_committee_members (committee_id, user_id, added_at)
       select '${committee}', id, now() from staff_users where username in ('sofia', 'ada')`,
    `update governance_policy_tiers set committee_id = '${committee}', threshold = 1
      where process_type = 'withdraw'`,
  ]);

  await openAs(page, bank.urlFor('WS-TINA'), 'tina');
  await openAccountOf(page, 'James Okafor');
  await movement(page, 'Record deposit', '1000.00');
  await expect(page.getByTestId('settled')).toHaveText('$1,000.00');
  const dialog = await movement(page, 'Initiate withdrawal', '200.00');
  await expect(dialog).toHaveCount(0);
  const row = page.getByTestId('withdrawals').locator('tbody tr').first();
  await expect(row.getByTestId('withdrawal-status')).toHaveText('Pending approval');
  await expect(row.getByRole('button', { name: 'Confirm payout' })).toHaveCount(0);

  const context = await browser.newContext();
  const sofia = await context.newPage();
  await test.step('sofia approves it from her inbox with the keyboard (A)', async () => {
    await openAs(sofia, bank.urlFor('WS-SOFIA'), 'sofia');
    await sofia.getByRole('link', { name: 'Approvals' }).first().click();
    const process = sofia.locator('tr[data-process]', { hasText: '$200.00' });
    await process.click();
    await sofia.keyboard.press('a');
    await expect(sofia.getByText('Approved.', { exact: true })).toBeVisible();
  });

  await test.step('tina’s page follows without a reload, and she confirms', async () => {
    await expect(row.getByTestId('withdrawal-status')).toHaveText('Approved: awaiting confirmation');
    await saveScreen(page, testInfo, 'deposit-account-live-approved');
    await row.getByRole('button', { name: 'Confirm payout' }).click();
    await expect(row.getByTestId('withdrawal-status')).toHaveText('Confirmed');
    await expect(page.getByTestId('settled')).toHaveText('$800.00');
    await expect(page.getByTestId('pending')).toHaveText('$0.00');
  });
  await context.close();
});

test('back office opens the account of a customer converted before deposits existed', async ({
  page,
  bank,
}, testInfo) => {
  // Mei Chen, converted behind the app's back the way conversions were recorded before this module.
  await bank.tamper([
    `update prospects set stage = 'converted', kyc_status = 'verified' where full_name = 'Mei Chen'`,
    `insert into customers (id, public_id, converted_with, conversion_reason, deposit_account_requested_at)
       select id, 'C-900001', 'manual', 'Converted before deposits', now() from prospects
        where full_name = 'Mei Chen'`,
  ]);
  await openAs(page, bank.url, 'bea');
  await page.getByRole('link', { name: 'Customers' }).first().click();
  await page.getByLabel('Find a customer').fill('C-900001');
  await page.getByLabel('Find a customer').press('Enter');
  await page.getByTestId('customer-hits').getByRole('link', { name: 'Mei Chen' }).click();
  const banner = page.getByTestId('deposit-banner');
  await expect(banner).toContainText('No deposit account yet');
  await saveScreen(page, testInfo, 'customer-no-deposit-account');
  await banner.getByRole('button', { name: 'Open deposit account' }).click();
  await expect(banner).toHaveCount(0);
  const accounts = page.getByTestId('customer-deposit-accounts');
  await expect(accounts).toContainText('Active');
  await expect(accounts).toContainText('$0.00');
  await accounts.getByRole('link', { name: /^DA-\d{6}$/ }).click();
  await expect(page.getByTestId('holder')).toContainText('Mei Chen (C-900001)');
  // Back office manages the account: an inactive account is labelled apart from a dormant one.
  await page.getByRole('button', { name: 'Inactivate' }).click();
  await page.getByRole('dialog').getByLabel('Reason').fill('Customer asked for a hold');
  await page.getByRole('dialog').getByRole('button', { name: 'Inactivate' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('account-status')).toHaveText('Inactive (operator hold)');
  await expect(page.getByTestId('activity-status')).toHaveText('Recently active');
  await expect(page.getByRole('button', { name: 'Record deposit' })).toHaveCount(0);
  await page.getByRole('link', { name: '← All deposit accounts' }).click();
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Inactive (operator hold)' });
  await expect(page.getByTestId('deposit-accounts').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('deposit-accounts')).toContainText('Mei Chen');
});

test('an administrator sets the dormancy thresholds and classifies the accounts', async ({ page, bank }) => {
  await openAs(page, bank.url, 'ada');
  await page.getByRole('link', { name: 'Bank settings' }).first().click();
  const card = page.getByRole('form', { name: 'Deposit account dormancy' });
  await expect(card.getByLabel('Dormant after (days without customer activity)')).toHaveValue('365');
  await card.getByLabel('Dormant after (days without customer activity)').fill('400');
  await card.getByLabel('Escheatable after (days without customer activity)').fill('300');
  await card.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(card.getByRole('alert')).toContainText('The dormancy thresholds are invalid');
  await card.getByLabel('Escheatable after (days without customer activity)').fill('4000');
  await card.getByLabel('Escheatable after (days without customer activity)').press('Enter');
  await expect(page.getByText('Dormancy thresholds saved.')).toBeVisible();
  await card.getByRole('button', { name: 'Classify now' }).click();
  await expect(page.getByText('Activity classified on 2026-11-25: 6 accounts, 0 changed.')).toBeVisible();

  // The verification switch: kept by the bank, shown again on the next visit.
  const verified = page.getByLabel('Open deposit accounts only for verified customers');
  await expect(verified).not.toBeChecked();
  await verified.check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('.toast').getByText('Settings saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Home' }).first().click();
  await page.getByRole('link', { name: 'Bank settings' }).first().click();
  await expect(page.getByLabel('Open deposit accounts only for verified customers')).toBeChecked();
});
