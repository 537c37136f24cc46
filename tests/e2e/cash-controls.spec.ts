import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { DEMO, expect, mainNav, openAs, saveScreen, test } from './fixtures';

/** An open fiscal year for the demo bank's business date: deposits and withdrawals post to the ledger. */
const OPEN_FISCAL_YEAR = `insert into ledger_fiscal_years (id, starts_on, ends_on, created_at)
   select '${randomUUID()}', '2026-01-01', '2026-12-31', now()
    where not exists (select 1 from ledger_fiscal_years)`;

async function openAccountOf(page: Page, holder: string) {
  await mainNav(page).getByRole('link', { name: 'Deposit accounts' }).click();
  const row = page.getByTestId('deposit-accounts').locator('tbody tr', { hasText: holder });
  await row.getByRole('link', { name: /^DA-\d{6}$/ }).click();
  await expect(page.getByTestId('holder')).toContainText(holder);
}

/** Opens the deposit or withdrawal form and fills it; returns the movement's dialog. */
async function movementForm(
  page: Page,
  kind: 'Record deposit' | 'Initiate withdrawal',
  amount: string,
  method = 'Cash',
) {
  await page.getByRole('button', { name: kind }).click();
  const dialog = page.getByRole('dialog', {
    name: new RegExp(kind === 'Record deposit' ? 'deposit' : 'withdrawal', 'i'),
  });
  await dialog.getByLabel('Amount').fill(amount);
  await dialog.getByLabel('Method').selectOption({ label: method });
  return dialog;
}

test('a withdrawal above the teller’s limit is authorized by a supervisor at the counter; large cash is reported', async ({
  page,
  browser,
  bank,
}, testInfo) => {
  await bank.tamper([OPEN_FISCAL_YEAR]);
  await openAs(page, bank.url, 'tina');
  await openAccountOf(page, 'Lucía Fernández');

  await test.step('a wire of 20,000.00 funds the account (no cash: no control applies)', async () => {
    const dialog = await movementForm(page, 'Record deposit', '20000.00', 'Wire transfer');
    await dialog.getByRole('button', { name: 'Record deposit' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('settled')).toHaveText('$20,000.00');
  });

  await test.step('6,000.00 in cash is above tina’s 5,000.00: the override dialog asks for a supervisor', async () => {
    const form = await movementForm(page, 'Initiate withdrawal', '6000.00');
    await form.getByRole('button', { name: 'Initiate withdrawal' }).click();
    const override = page.getByRole('dialog', { name: 'Supervisor override' });
    await expect(override.getByTestId('override-problem')).toHaveText(
      'This withdrawal of $6,000.00 is above your limit of $5,000.00. A supervisor must authorize it.',
    );
    await expect(override.getByLabel('Supervisor username')).toBeFocused();

    // An empty reason is refused before anything is sent; a wrong password by the bank.
    await override.getByLabel('Supervisor username').fill('sofia');
    await override.getByLabel('Supervisor password').fill(DEMO.password);
    await override.getByRole('button', { name: 'Authorize' }).click();
    await expect(override.getByRole('alert')).toHaveText('Enter the reason for the override.');
    await override.getByLabel('Reason').fill('Known customer, paying a car');
    await override.getByLabel('Supervisor password').fill('not-her-password');
    await override.getByRole('button', { name: 'Authorize' }).click();
    await expect(override.getByRole('alert')).toHaveText('Wrong supervisor username or password.');
    await expect(override.getByLabel('Supervisor password')).toHaveValue('');
    await saveScreen(page, testInfo, 'override-dialog');

    await override.getByLabel('Supervisor password').fill(DEMO.password);
    await override.getByRole('button', { name: 'Authorize' }).click();
    await expect(override).toHaveCount(0);
    await expect(form).toHaveCount(0);
    await expect(page.getByTestId('pending')).toHaveText('$6,000.00');
    const row = page.getByTestId('withdrawals').locator('tbody tr').first();
    await expect(row.getByTestId('withdrawal-status')).toHaveText('Approved: awaiting confirmation');
  });

  await test.step('12,000.00 in cash takes the day to 18,000.00: the conductor’s details are asked for', async () => {
    const form = await movementForm(page, 'Record deposit', '12000.00');
    await form.getByRole('button', { name: 'Record deposit' }).click();
    await expect(form.getByRole('alert')).toContainText('reaches 18000.00 (report threshold 10000.00)');
    const conductor = form.getByTestId('conductor');
    await conductor.getByLabel('Full name').fill('Mateo Fernández');
    await conductor.getByLabel('Identity document').fill('DNI 30111222');
    await conductor.getByLabel('Relationship to the customer').fill('Son');
    await saveScreen(page, testInfo, 'conductor-form');
    await form.getByRole('button', { name: 'Record deposit' }).click();
    await expect(form).toHaveCount(0);
    await expect(page.getByTestId('settled')).toHaveText('$26,000.00');
  });

  await test.step('sofia sees the CTR on the large-cash reports and exports it', async () => {
    const context = await browser.newContext();
    const sofia = await context.newPage();
    await openAs(sofia, bank.urlFor('WS-SOFIA'), 'sofia');
    await mainNav(sofia).getByRole('link', { name: 'Large-cash reports' }).click();
    const ctr = sofia.getByTestId('cash-reports').locator('tbody tr[data-kind="ctr"]');
    await expect(ctr).toHaveCount(1);
    await expect(ctr).toContainText('Lucía Fernández');
    await expect(ctr).toContainText('In $12,000.00');
    await expect(ctr).toContainText('Mateo Fernández');
    await expect(ctr).toContainText('DNI 30111222 · Son');
    await expect(ctr).toContainText('in $12,000.00 / out $6,000.00');
    await saveScreen(sofia, testInfo, 'cash-reports');
    const [download] = await Promise.all([
      sofia.waitForEvent('download'),
      sofia.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^cash-reports-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('Mateo Fernández');
    expect(csv.trim().split('\n')).toHaveLength(2);
    await sofia.getByLabel('Kind').selectOption({ label: 'Possible structuring' });
    await expect(sofia.getByTestId('cash-reports')).toContainText('No flagged transaction.');
    await context.close();
  });
});

test('a remote override: the teller asks, a supervisor approves on her own workstation, the withdrawal goes through', async ({
  page,
  browser,
  bank,
}, testInfo) => {
  await bank.tamper([OPEN_FISCAL_YEAR]);
  await openAs(page, bank.urlFor('WS-TINA'), 'tina');
  await openAccountOf(page, 'James Okafor');
  const funding = await movementForm(page, 'Record deposit', '9000.00', 'Wire transfer');
  await funding.getByRole('button', { name: 'Record deposit' }).click();
  await expect(page.getByTestId('settled')).toHaveText('$9,000.00');

  // Sofia is signed in on her own workstation, elsewhere in the app.
  const context = await browser.newContext();
  const sofia = await context.newPage();
  await openAs(sofia, bank.urlFor('WS-SOFIA'), 'sofia');

  const form = await movementForm(page, 'Initiate withdrawal', '7000.00');
  await form.getByRole('button', { name: 'Initiate withdrawal' }).click();
  const override = page.getByRole('dialog', { name: 'Supervisor override' });
  await override.getByRole('tab', { name: "Ask a supervisor's workstation" }).click();
  await override.getByLabel('Note for the supervisor (optional)').fill('Customer at window 2');
  await override.getByRole('button', { name: 'Send request' }).click();
  await expect(override.getByTestId('override-request-status')).toHaveText(
    'Waiting for a supervisor to decide…',
  );

  await expect(sofia.getByText('A teller asks for an override: see Override requests.')).toBeVisible();
  await mainNav(sofia).getByRole('link', { name: 'Override requests' }).click();
  const request = sofia.getByTestId('override-requests').locator('tbody tr', { hasText: 'Tina Teller' });
  await expect(request).toContainText('$7,000.00');
  await expect(request).toContainText('Customer at window 2');
  await expect(request).toContainText('WS-TINA');
  await saveScreen(sofia, testInfo, 'override-requests');
  await request.getByRole('button', { name: 'Approve' }).click();
  const decide = sofia.getByRole('dialog');
  await decide.getByLabel('Reason').fill('Called the customer back');
  await decide.getByRole('button', { name: 'Approve' }).click();
  await expect(sofia.getByTestId('override-requests')).toContainText('No request is waiting.');

  // The teller's dialog follows the decision and submits the withdrawal with the approved override.
  await expect(override).toHaveCount(0);
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('pending')).toHaveText('$7,000.00');
  await context.close();
});

test('an administrator sets the cash limits; a teller does not see them', async ({
  page,
  bank,
}, testInfo) => {
  await openAs(page, bank.url, 'ada');
  await mainNav(page).getByRole('link', { name: 'Cash limits' }).click();
  const teller = page.getByTestId('limit-teller');
  await expect(teller.getByRole('textbox')).toHaveValue('5000.00');
  await teller.getByRole('textbox').fill('7000.00');
  await teller.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Cash limits saved').first()).toBeVisible();
  await page.getByLabel('Report threshold (USD)').fill('12000.00');
  await page.getByRole('button', { name: 'Save' }).last().click();
  await expect(page.getByLabel('Report threshold (USD)')).toHaveValue('12000.00');
  await saveScreen(page, testInfo, 'cash-limits');
  // Read back from the bank, not from the form.
  await mainNav(page).getByRole('link', { name: 'Home' }).click();
  await mainNav(page).getByRole('link', { name: 'Cash limits' }).click();
  await expect(page.getByTestId('limit-teller').getByRole('textbox')).toHaveValue('7000.00');
  await expect(page.getByLabel('Report threshold (USD)')).toHaveValue('12000.00');
  await page.getByRole('button', { name: 'Sign out' }).click();

  await openAs(page, bank.url, 'tina');
  await expect(mainNav(page).getByRole('link', { name: 'Cash limits' })).toHaveCount(0);
  await expect(mainNav(page).getByRole('link', { name: 'Override requests' })).toHaveCount(0);
});
