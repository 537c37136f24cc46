import { randomUUID } from 'node:crypto';
import { expect, openAs, saveScreen, test } from './fixtures';

/**
 * SQL for what a governed module's startProcess would write: an operation initiated by hugo, routed
 * by the given tier of the withdrawal policy. It is filed as a disbursal, whose module does not exist
 * yet (no conclusion handler runs), so the journey can put the process in place behind the app's back;
 * a real withdrawal's conclusion needs the withdrawal itself.
 */
function withdrawalProcess(id: string, p: { minor: string; customer: string; tier: number }): string[] {
  return [
    `insert into governance_processes (id, process_type, status, amount, currency, target_kind, target_id,
       initiated_by, summary, rule, tier_position, tier_up_to, committee_id, threshold, started_at)
     select '${id}', 'disbursal', 'in_progress', ${p.minor}, 'USD', 'disbursal', '${randomUUID()}',
       (select id from staff_users where username = 'hugo'),
       '{"customer": "${p.customer}", "account": "DA-000123", "amount": {"minor": "${p.minor}", "currency": "USD"},
         "settledBalance": {"minor": "4250000", "currency": "USD"}, "initiator": "Hugo Head Teller"}'::json,
       'committee', t.position, t.up_to, t.committee_id, t.threshold, now()
       from governance_policy_tiers t
      where t.process_type = 'withdraw' and t.position = ${p.tier - 1}`,
  ];
}

test('committees, tiered policies and a live approvals inbox', async ({ browser, page, bank }, testInfo) => {
  await openAs(page, bank.url, 'ada');

  await test.step('ada creates the Operations committee with sofia and herself', async () => {
    await page.getByRole('link', { name: 'Committees' }).first().click();
    await page.getByRole('button', { name: 'New committee' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Operations');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    const card = page.getByRole('region', { name: 'Operations' });
    await expect(card).toBeVisible();
    for (const who of ['Sofia Supervisor (sofia)', 'Ada Admin (ada)']) {
      await card.getByLabel('Add a member').selectOption({ label: who });
      await card.getByRole('button', { name: 'Add', exact: true }).click();
      await expect(card.locator(`tr[data-member="${who.match(/\((\w+)\)/)![1]}"]`)).toBeVisible();
    }
    await expect(card.getByText('2 members')).toBeVisible();
    // A second committee of the same name (in other case) is refused.
    await page.getByRole('button', { name: 'New committee' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('operations');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('dialog').getByRole('alert')).toContainText('already a committee');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  });

  await test.step('ada sets withdrawal tiers and asks what would happen', async () => {
    await page.getByRole('link', { name: 'Approval policies' }).first().click();
    await page.getByRole('button', { name: 'Edit Withdrawal tiers' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Add a tier' }).click();
    await dialog.getByRole('button', { name: 'Add a tier' }).click();
    await dialog.getByLabel('Tier 1 limit').fill('1000.00');
    await dialog.getByLabel('Tier 2 limit').fill('25000.00');
    await dialog.getByLabel('Tier 2 decision').selectOption('committee');
    await dialog.getByLabel('Tier 2 committee').selectOption({ label: 'Operations (2 members)' });
    await dialog.getByLabel('Tier 3 decision').selectOption('committee');
    await dialog.getByLabel('Tier 3 committee').selectOption({ label: 'Operations (2 members)' });
    // More approvals than members is refused (DOMAIN 5.2), with the tier named.
    await dialog.getByLabel('Tier 3 approvals needed').fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Tier 3');
    await dialog.getByLabel('Tier 3 approvals needed').fill('2');
    await saveScreen(page, testInfo, 'governance-tier-editor');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toHaveCount(0);

    const policy = page.getByRole('region', { name: 'Withdrawal' });
    const rows = policy.locator('table.tiers tbody tr');
    await expect(rows).toHaveText([
      /Up to \$1,000\.00\s*Approved at once/,
      /Above \$1,000\.00, up to \$25,000\.00\s*1 approval from Operations \(2 members\)/,
      /Above \$25,000\.00\s*2 approvals from Operations \(2 members\)/,
    ]);
    const whatIf = policy.getByRole('form', { name: 'What would happen with a Withdrawal?' });
    await whatIf.getByLabel('Amount (USD)').fill('1000.00');
    await whatIf.getByRole('button', { name: 'Check' }).click();
    await expect(whatIf.getByRole('status')).toHaveText('Tier 1 (Up to $1,000.00): Approved at once.');
    await whatIf.getByLabel('Amount (USD)').fill('1000.01');
    await whatIf.getByRole('button', { name: 'Check' }).click();
    await expect(whatIf.getByRole('status')).toContainText('Tier 2');
    await saveScreen(page, testInfo, 'governance-policies');
  });

  const processId = randomUUID();
  const smallId = randomUUID();
  await test.step('a withdrawal of 30,000.00 waits for two approvals', async () => {
    await bank.tamper([
      ...withdrawalProcess(processId, { minor: '3000000', customer: 'Jane Roe', tier: 3 }),
      ...withdrawalProcess(smallId, { minor: '500000', customer: 'John Doe', tier: 2 }),
    ]);
  });

  const context = await browser.newContext();
  const sofiaPage = await context.newPage();
  await test.step('sofia and ada see it in their inboxes', async () => {
    await openAs(sofiaPage, bank.urlFor('WS-SOFIA'), 'sofia');
    await sofiaPage.getByRole('link', { name: 'Approvals' }).first().click();
    const row = sofiaPage.locator(`tr[data-process="${processId}"]`);
    await expect(row).toContainText('$30,000.00');
    await expect(row).toContainText('0 of 2');
    await expect(sofiaPage.locator(`tr[data-process="${smallId}"]`)).toContainText('0 of 1');
    // The summary the governed module gave, as a definition list, in the order it gave.
    await row.click();
    await expect(sofiaPage.locator('dl.summary dt')).toHaveText([
      'Customer',
      'Account',
      'Amount',
      'Settled balance',
      'Initiated by',
    ]);
    await expect(sofiaPage.locator('dl.summary')).toContainText('Jane Roe');
    await expect(sofiaPage.locator('dl.summary')).toContainText('$42,500.00');

    await openAs(page, bank.url, 'ada');
    await page.getByRole('link', { name: 'Approvals' }).first().click();
    await expect(page.locator(`tr[data-process="${processId}"]`)).toBeVisible();
  });

  await test.step('ada approves: sofia’s inbox follows live, without a reload', async () => {
    await page.locator(`tr[data-process="${processId}"]`).getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByText('Your approval is recorded')).toBeVisible();
    await expect(sofiaPage.locator(`tr[data-process="${processId}"]`)).toContainText('1 of 2');
    await expect(sofiaPage.locator('ol.history')).toContainText('Ada Admin approved');
    await saveScreen(sofiaPage, testInfo, 'governance-inbox-pending');
  });

  await test.step('sofia approves with the keyboard (A): approved', async () => {
    await sofiaPage.locator(`tr[data-process="${processId}"]`).click();
    await sofiaPage.keyboard.press('a');
    await expect(sofiaPage.getByText('Approved.', { exact: true })).toBeVisible();
    const row = sofiaPage.locator(`tr[data-process="${processId}"]`);
    await expect(row).toHaveAttribute('data-status', 'approved');
    await expect(row).toContainText('you approved');
    await expect(sofiaPage.locator('ol.history')).toContainText('Sofia Supervisor approved');
    await expect(sofiaPage.locator('ol.history')).toContainText('WS-SOFIA');
    await saveScreen(sofiaPage, testInfo, 'governance-approvals');
    // ada's inbox learned of the conclusion too.
    await expect(page.locator(`tr[data-process="${processId}"]`)).toHaveAttribute('data-status', 'approved');
  });

  if (bank.kind === 'server') {
    // On a bank server the SQL runs beside the running host (no restart): what a withdrawal's
    // transaction would commit, NOTIFY included, reaches sofia's open inbox by itself.
    await test.step('a process started on another workstation appears live', async () => {
      const second = randomUUID();
      await bank.tamper([
        ...withdrawalProcess(second, { minor: '9000000', customer: 'Ann Lee', tier: 3 }),
        `select pg_notify('bank_events', '{"event":"approvals.changed","processId":"${second}","type":"disbursal","status":"in_progress"}')`,
      ]);
      await expect(sofiaPage.locator(`tr[data-process="${second}"]`)).toContainText('0 of 2');
    });
  }

  await test.step('a second decision is refused: the deny key opens nothing on a decided process', async () => {
    await sofiaPage.keyboard.press('d');
    await expect(sofiaPage.getByRole('dialog')).toHaveCount(0);
  });

  await test.step('sofia denies the other withdrawal with the keyboard (D), giving a reason', async () => {
    await sofiaPage.locator(`tr[data-process="${smallId}"]`).click();
    await expect(sofiaPage.locator('dl.summary')).toContainText('John Doe');
    await sofiaPage.keyboard.press('d');
    const dialog = sofiaPage.getByRole('dialog', { name: 'Deny this operation' });
    await expect(dialog.getByRole('button', { name: 'Deny' })).toBeDisabled();
    await dialog.getByLabel('Reason').fill('Signature does not match the card on file');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await expect(dialog).toHaveCount(0);
    const row = sofiaPage.locator(`tr[data-process="${smallId}"]`);
    await expect(row).toHaveAttribute('data-status', 'denied');
    await expect(sofiaPage.locator('ol.history')).toContainText('Signature does not match the card on file');
  });

  await test.step('the inbox in Spanish', async () => {
    await sofiaPage.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Español' });
    await expect(sofiaPage.getByRole('heading', { level: 1, name: 'Aprobaciones' })).toBeVisible();
    await expect(sofiaPage.locator(`tr[data-process="${processId}"]`)).toContainText('Aprobado');
    await sofiaPage.locator(`tr[data-process="${processId}"]`).click();
    await expect(sofiaPage.locator('ol.history')).toContainText('Sofia Supervisor aprobó');
    await saveScreen(sofiaPage, testInfo, 'governance-approvals-es');
  });

  await page.getByRole('link', { name: 'Committees' }).first().click();
  await expect(page.getByRole('region', { name: 'Operations' })).toContainText('Withdrawal, tier 3');
  await saveScreen(page, testInfo, 'governance-committees');
  await context.close();
});
