import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, mainNav, openAs, saveScreen, test } from './fixtures';

/** An open fiscal year for the demo bank's business date: deposits post to the ledger. */
const OPEN_FISCAL_YEAR = `insert into ledger_fiscal_years (id, starts_on, ends_on, created_at)
   select '${randomUUID()}', '2026-01-01', '2026-12-31', now()
    where not exists (select 1 from ledger_fiscal_years)`;

/**
 * The browser's print dialog cannot be driven: window.print is replaced by a recorder of what the
 * page would have sent to paper (the print layer's text).
 */
async function recordPrints(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __printed: string[] };
    w.__printed = [];
    window.print = () => {
      w.__printed.push(document.querySelector('.print-layer')?.textContent ?? '');
    };
  });
}
const printed = (page: Page) => page.evaluate(() => (window as unknown as { __printed: string[] }).__printed);

test('a deposit’s receipt prints, saves as PDF, reprints as DUPLICATE and verifies against the journal', async ({
  page,
  bank,
}, testInfo) => {
  await bank.tamper([OPEN_FISCAL_YEAR]);
  await recordPrints(page);
  await openAs(page, bank.url, 'tina');

  await test.step('tina records a deposit on the deposit account screen', async () => {
    await mainNav(page).getByRole('link', { name: 'Deposit accounts' }).click();
    const row = page.getByTestId('deposit-accounts').locator('tbody tr', { hasText: 'Lucía Fernández' });
    await row.getByRole('link', { name: /^DA-\d{6}$/ }).click();
    await page.getByRole('button', { name: 'Record deposit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount').fill('250.00');
    await dialog.getByLabel('Method').selectOption({ label: 'Wire transfer' });
    await dialog.getByLabel('Reference').fill('INV-2026-11');
    await dialog.getByRole('button', { name: 'Record deposit' }).click();
    await expect(dialog).toHaveCount(0);
  });

  const history = page.getByTestId('history');
  const depositRow = history.locator('tbody tr', { hasText: 'INV-2026-11' });
  const dialog = page.getByRole('dialog', { name: 'Receipts' });
  const receipt = dialog.getByTestId('receipt');
  let payload = '';

  await test.step('its receipt opens in a preview: original, with its QR code', async () => {
    await depositRow.getByTestId('receipt-open').click();
    await expect(receipt).toBeVisible();
    await expect(receipt).toContainText('Deposit receipt');
    await expect(receipt).toContainText('Lucía Fernández');
    await expect(receipt).toContainText('$250.00');
    await expect(receipt.getByTestId('receipt-copy')).toHaveText('Original');
    await expect(dialog).toContainText('Not printed yet.');
    payload = (await receipt.locator('img.receipt-qr').getAttribute('data-payload')) ?? '';
    expect(payload).toMatch(/^RCPT1\?r=/);
    const screens = join(testInfo.project.outputDir, 'screens');
    mkdirSync(screens, { recursive: true });
    await receipt.screenshot({ path: join(screens, 'receipt.png') });
    await saveScreen(page, testInfo, 'receipt-preview');
  });

  await test.step('print sends the original to paper', async () => {
    await dialog.getByTestId('receipt-print').click();
    await expect(dialog).toContainText('Printed once');
    const [first] = await printed(page);
    expect(first).toContain('Deposit receipt');
    expect(first).toContain('Original');
    expect(first).not.toContain('DUPLICATE');
  });

  await test.step('the PDF downloads as a duplicate copy', async () => {
    const download = page.waitForEvent('download');
    await dialog.getByTestId('receipt-pdf').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^receipt-deposit-[0-9a-f]{8}-copy2\.pdf$/);
    const bytes = readFileSync((await file.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await file.saveAs(join(testInfo.project.outputDir, 'screens', 'receipt.pdf'));
  });

  await test.step('a reprint is marked DUPLICATE', async () => {
    await expect(receipt.getByTestId('receipt-copy')).toHaveText('DUPLICATE');
    await dialog.getByRole('button', { name: 'Reprint (duplicate)' }).click();
    await expect(dialog).toContainText('Printed 3 times');
    const all = await printed(page);
    expect(all).toHaveLength(2);
    expect(all[1]).toContain('DUPLICATE');
    await receipt.screenshot({ path: join(testInfo.project.outputDir, 'screens', 'receipt-duplicate.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  await test.step('hugo, head teller, finds the line in the teller journal and verifies the day', async () => {
    await openAs(page, bank.url, 'hugo');
    await mainNav(page).getByRole('link', { name: 'Teller journal' }).click();
    const journal = page.getByTestId('teller-journal');
    const line = journal.locator('tbody tr[data-kind="deposit"]', { hasText: '$250.00' });
    await expect(line).toBeVisible();
    await expect(line).toContainText('tina');
    await expect(journal.locator('tbody tr[data-kind="receipt-reprint"]')).toHaveCount(2);
    await page.getByLabel('Teller', { exact: true }).selectOption({ label: 'Tina Teller (tina)' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: "Verify teller's day" }).click();
    await expect(page.getByTestId('journal-verdict')).toHaveAttribute('data-intact', 'true');
    await page.getByRole('button', { name: 'Verify all tellers' }).click();
    await expect(page.getByTestId('journal-verdict')).toContainText('The journal is intact');
    await saveScreen(page, testInfo, 'teller-journal');
  });

  await test.step('the receipt’s code verifies; an edited one does not', async () => {
    await mainNav(page).getByRole('link', { name: 'Verify a receipt' }).click();
    await page.getByLabel('Receipt code').fill(payload);
    await page.getByLabel('Receipt code').press('Enter');
    await expect(page.getByTestId('receipt-verdict')).toHaveAttribute('data-verified', 'true');
    await expect(page.getByTestId('receipt-facts')).toContainText('Lucía Fernández');
    await page.getByLabel('Receipt code').fill(payload.replace('a=25000', 'a=95000'));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByTestId('receipt-verdict')).toHaveAttribute('data-verified', 'false');
    await expect(page.getByTestId('receipt-verdict')).toContainText('the receipt has been changed');
    await saveScreen(page, testInfo, 'receipt-verify');
  });
});

test('back office gives a customer Spanish receipts; the teller sees her own journal', async ({
  page,
  bank,
}, testInfo) => {
  await bank.tamper([OPEN_FISCAL_YEAR]);

  await test.step('bea sets Lucía’s receipt language to Spanish on the customer page', async () => {
    await openAs(page, bank.url, 'bea');
    await mainNav(page).getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Find a customer').fill('Lucia Fernandez');
    await page.getByLabel('Find a customer').press('Enter');
    await page.getByTestId('customer-hits').getByRole('link', { name: 'Lucía Fernández' }).click();
    await page.getByLabel('Receipt language').selectOption({ label: 'Spanish' });
    await expect(page.getByLabel('Receipt language')).toHaveValue('es');
    await saveScreen(page, testInfo, 'customer-receipt-language');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  await test.step('tina’s deposit receipt is in Spanish', async () => {
    await openAs(page, bank.url, 'tina');
    await mainNav(page).getByRole('link', { name: 'Deposit accounts' }).click();
    const row = page.getByTestId('deposit-accounts').locator('tbody tr', { hasText: 'Lucía Fernández' });
    await row.getByRole('link', { name: /^DA-\d{6}$/ }).click();
    await page.getByRole('button', { name: 'Record deposit' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Amount').fill('75.50');
    await form.getByLabel('Method').selectOption({ label: 'Check' });
    await form.getByRole('button', { name: 'Record deposit' }).click();
    await expect(form).toHaveCount(0);
    await page.getByTestId('history').locator('tbody tr').first().getByTestId('receipt-open').click();
    const receipt = page.getByRole('dialog', { name: 'Receipts' }).getByTestId('receipt');
    await expect(receipt).toContainText('Comprobante de depósito');
    await expect(receipt).toContainText('Importe');
    await expect(receipt.getByTestId('receipt-copy')).toHaveText('Original');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  await test.step('tina sees her own journal of the day, and only hers', async () => {
    await mainNav(page).getByRole('link', { name: 'My journal today' }).click();
    const journal = page.getByTestId('teller-journal');
    await expect(journal.locator('tbody tr[data-kind="deposit"]')).toHaveCount(1);
    await expect(journal).toContainText('$75.50');
    await expect(mainNav(page).getByRole('link', { name: 'Teller journal' })).toHaveCount(0);
    await saveScreen(page, testInfo, 'own-journal');
  });
});

test('a journal line forged behind the app’s back is the first broken line', async ({
  page,
  bank,
}, testInfo) => {
  // A forger with database access writes a deposit into tina's day; they cannot produce its hash.
  const forged = randomUUID();
  await bank.tamper([
    `insert into teller_journal_heads (teller_id, business_date, sequence, hash)
       select id, (select business_date from bank), 1, repeat('ab', 32) from staff_users where username = 'tina'`,
    `insert into teller_journal (id, teller_id, business_date, sequence, kind, amount, currency, workstation,
         details, occurred_at, prev_hash, hash)
       select '${forged}', id, (select business_date from bank), 1, 'deposit', 99900, 'USD', 'WS-FORGED',
              '{"accountPublicId": "DA-000001"}', now(), repeat('0', 64), repeat('ab', 32)
         from staff_users where username = 'tina'`,
  ]);
  await openAs(page, bank.url, 'hugo');
  await mainNav(page).getByRole('link', { name: 'Teller journal' }).click();
  const journal = page.getByTestId('teller-journal');
  await expect(journal.locator(`tbody tr[data-line="${forged}"]`)).toContainText('$999.00');
  await page.getByRole('button', { name: 'Verify all tellers' }).click();
  const verdict = page.getByTestId('journal-verdict');
  await expect(verdict).toHaveAttribute('data-intact', 'false');
  await expect(verdict).toContainText(
    'tina: line 1 is the first broken one (its content no longer matches its hash)',
  );
  await expect(journal.locator('tbody tr.broken')).toHaveAttribute('data-line', forged);
  await saveScreen(page, testInfo, 'teller-journal-broken');
});
