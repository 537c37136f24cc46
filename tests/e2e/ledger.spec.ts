import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, ledgerSeed, mainNav, openAs, saveScreen, test } from './fixtures';

const OMNIBUS = randomUUID();
const CUSTOMER = randomUUID();

/** A balanced two-entry posting through the ledger's own function (its triggers do the rest). */
function post(
  template: string,
  date: string,
  description: string,
  debit: string,
  credit: string,
  amount: string,
) {
  const entries = JSON.stringify([
    { seq: 0, account_id: debit, currency: 'USD', layer: 'settled', direction: 'debit', amount },
    { seq: 1, account_id: credit, currency: 'USD', layer: 'settled', direction: 'credit', amount },
  ]);
  const key = randomUUID();
  const text = description.replace(/'/g, "''");
  return `select ledger_post('${randomUUID()}'::uuid, '${key}', '${key}', '${template}', '${date}'::date, '${text}',
            '{}'::jsonb, '${date}T10:00:00Z'::timestamptz, '${entries}'::jsonb)`;
}

test('an accountant reads the journal and an account, and exports its history', async ({
  page,
  bank,
}, testInfo) => {
  await test.step('postings in the demo bank (seeded behind the app: no posting screen yet)', async () => {
    await bank.tamper([
      ...ledgerSeed([
        { id: OMNIBUS, code: 'e2e-omnibus', name: 'E2E omnibus', normal: 'debit', chartCode: '12.01' },
        { id: CUSTOMER, code: 'e2e-cust-1', name: 'E2E customer one', normal: 'credit', chartCode: '21.01' },
      ]),
      post('T_E2E_DEPOSIT', '2026-11-20', 'Opening deposit', OMNIBUS, CUSTOMER, '150000'),
      post('T_E2E_WITHDRAW', '2026-11-23', 'Cash withdrawal', CUSTOMER, OMNIBUS, '2500'),
      post('T_E2E_DEPOSIT', '2026-11-24', '=HYPERLINK("http://evil.example")', OMNIBUS, CUSTOMER, '1000'),
    ]);
  });

  await openAs(page, bank.url, 'axel');

  await test.step('the journal, newest first, with each transaction’s entries', async () => {
    await mainNav(page).getByRole('link', { name: 'Journal' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible();
    const txs = page.getByTestId('journal').locator('li[data-transaction]');
    // Newest first: the demo's own posting (cash into the branch vault, on its business date), then these.
    await expect(txs).toHaveCount(4);
    await expect(txs.nth(1).getByRole('heading')).toContainText('2026-11-24');
    await expect(txs.nth(2).locator('tbody tr')).toHaveCount(2);
    await expect(txs.nth(2).locator('tbody tr').first()).toContainText('e2e-cust-1');
    await expect(txs.nth(2).locator('tbody tr').first()).toContainText('$25.00');
    await page.getByLabel('Template').fill('T_E2E_WITHDRAW');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await expect(txs).toHaveCount(1);
    await expect(txs.first().getByRole('heading')).toContainText('Cash withdrawal');
  });

  await test.step('the account page: details, balances, entries', async () => {
    await mainNav(page).getByRole('link', { name: 'Ledger accounts' }).click();
    await page.getByLabel('Code or name').fill('customer one');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const rows = page.getByTestId('ledger-accounts').locator('tbody tr[data-code]');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('$1,485.00');
    await rows.first().getByRole('link', { name: 'e2e-cust-1' }).click();
    await expect(
      page.getByRole('heading', { level: 1, name: 'Account e2e-cust-1 · E2E customer one' }),
    ).toBeVisible();
    await expect(page.getByTestId('ledger-settled')).toHaveText('$1,485.00');
    await expect(page.getByTestId('ledger-account-details')).toContainText('21.01');
    const entries = page.getByTestId('ledger-entries').locator('tbody tr[data-entry]');
    await expect(entries).toHaveCount(3);
    await expect(entries.first()).toContainText('2026-11-24');
    await expect(entries.first()).toContainText('$1,485.00');
    await expect(entries.nth(1)).toContainText('Cash withdrawal');
    await page.getByLabel('Effective from').fill('2026-11-21');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await expect(entries).toHaveCount(2);
    await saveScreen(page, testInfo, 'ledger-account');
  });

  await test.step('the CSV export downloads the whole history', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('ledger-e2e-cust-1.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('recorded_at,effective_date,currency,debit,credit,description,template');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(',2026-11-20,USD,,1500.00,Opening deposit,T_E2E_DEPOSIT');
    expect(lines[2]).toContain(',2026-11-23,USD,25.00,,Cash withdrawal,T_E2E_WITHDRAW');
    expect(lines[3]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });
});
