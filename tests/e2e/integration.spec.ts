import { expect, openAs, saveScreen, test } from './fixtures';

test('an accountant maps a module account set to another chart node; an auditor only reads', async ({
  browser,
  page,
  bank,
}, testInfo) => {
  await openAs(page, bank.url, 'axel');
  await page.getByRole('link', { name: 'Module integration' }).first().click();
  const row = page.locator('tr[data-set="deposit-bank-account-set"]');
  const select = row.getByLabel('Chart node for Deposits: bank');

  await test.step('axel moves the interbank deposits set from 21.04 to 21.05 and saves', async () => {
    await expect(select).toHaveValue('21.04');
    // Only liability nodes are offered for a deposit set.
    await expect(select.locator('option[value="12.01"]')).toHaveCount(0);
    await select.selectOption('21.05');
    await page.getByRole('button', { name: 'Save 1 change' }).click();
    await expect(page.getByText('1 mapping saved.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'No changes to save' })).toBeDisabled();
    await saveScreen(page, testInfo, 'module-integration');
    await page.getByRole('link', { name: 'Home' }).first().click();
    await page.getByRole('link', { name: 'Module integration' }).first().click();
    await expect(select).toHaveValue('21.05');
    await expect(row).toContainText('Not used yet');
  });

  await test.step('aurora, an auditor, sees the mapping but cannot change it', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await openAs(other, bank.url, 'aurora');
    await other.getByRole('link', { name: 'Module integration' }).first().click();
    await expect(other.getByLabel('Chart node for Deposits: bank')).toHaveValue('21.05');
    await expect(other.getByLabel('Chart node for Deposits: bank')).toBeDisabled();
    await expect(other.getByRole('button', { name: /save/i })).toHaveCount(0);
    await context.close();
  });
});
