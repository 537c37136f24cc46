import { randomUUID } from 'node:crypto';
import { expect, ledgerSeed, openAs, saveScreen, test } from './fixtures';

const SUPPLIES = randomUUID();
const PETTY = randomUUID();

test('a manual transaction posts only after a second accountant approves it', async ({
  browser,
  page,
  bank,
}, testInfo) => {
  await test.step('two ledger accounts under the chart, and an open fiscal year', async () => {
    await bank.tamper(
      ledgerSeed([
        { id: SUPPLIES, code: 'e2e-supplies', name: 'Office supplies', normal: 'debit', chartCode: '61' },
        { id: PETTY, code: 'e2e-petty', name: 'Petty cash', normal: 'debit', chartCode: '12' },
      ]),
    );
  });

  await openAs(page, bank.url, 'axel');
  await page.getByRole('link', { name: 'Manual transactions' }).first().click();
  await page.getByRole('button', { name: 'New manual transaction' }).click();
  const dialog = page.getByRole('dialog');

  await test.step('axel proposes a balanced transaction (refused while it does not balance)', async () => {
    await dialog.getByLabel('Description').fill('Supplies paid from petty cash');
    const pick = async (row: number, search: string) => {
      const line = dialog.locator('tbody tr').nth(row);
      await line.getByLabel('Account').fill(search);
      await line.getByLabel('Account').press('Enter');
      await line.getByLabel('Choose an account').selectOption({ index: 1 });
    };
    await pick(0, 'e2e-supplies');
    await pick(1, 'e2e-petty');
    await dialog.locator('tbody tr').nth(0).getByLabel('Amount').fill('25.00');
    await dialog.locator('tbody tr').nth(1).getByLabel('Amount').fill('24.99');
    await expect(dialog.getByTestId('manual-balance')).toContainText('$0.01 more on the Debit side');
    await expect(dialog.getByRole('button', { name: 'Propose for approval' })).toBeDisabled();
    await dialog.locator('tbody tr').nth(1).getByLabel('Amount').fill('25.00');
    await expect(dialog.getByTestId('manual-balance')).toContainText('Balanced');
    await dialog.getByRole('button', { name: 'Propose for approval' }).click();
    const row = page.locator('tr[data-status="pending_approval"]');
    await expect(row).toHaveCount(1);
    // The proposer is not offered the approval.
    await expect(row.getByRole('button', { name: 'Approve and post' })).toHaveCount(0);
  });

  await test.step('ada, an administrator, approves on another workstation: it posts', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await openAs(other, bank.url, 'ada');
    await other.getByRole('link', { name: 'Manual transactions' }).first().click();
    await other
      .locator('tr[data-status="pending_approval"]')
      .getByRole('button', { name: 'Approve and post' })
      .click();
    await expect(other.locator('tr[data-status="posted"]')).toHaveCount(1);
    await saveScreen(other, testInfo, 'manual-transactions');
    await other.getByRole('link', { name: 'Ledger accounts' }).first().click();
    await other.getByLabel('Code or name').fill('e2e-supplies');
    await other.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(
      other.getByTestId('ledger-accounts').locator('tbody tr[data-code="e2e-supplies"]'),
    ).toContainText('$25.00');
    await context.close();
  });
});
