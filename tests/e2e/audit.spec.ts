import type { Page } from '@playwright/test';
import { DEMO, expect, mainNav, openAs, saveScreen, signIn, test } from './fixtures';

const WS = 'WS-AUDIT';

const rows = (page: Page) => page.locator('table.audit tbody tr[data-audit-id]');
const column = (page: Page, n: number) =>
  page.locator(`table.audit tbody tr[data-audit-id] td:nth-child(${n})`);
const verdict = (page: Page) => page.getByTestId('audit-verdict');

async function auditIds(page: Page): Promise<bigint[]> {
  const ids = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-audit-id') ?? ''));
  return ids.map((id) => BigInt(id));
}

async function openAudit(page: Page) {
  await mainNav(page).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(rows(page).first()).toBeVisible();
}

/** Distinct values of a column once they settle to the expected set (the list reloads on Apply). */
async function expectColumnValues(page: Page, n: number, values: string[]) {
  await expect
    .poll(async () => [...new Set(await column(page, n).allTextContents())].sort())
    .toEqual([...values].sort());
}

test('the audit log lists, filters, verifies and seals, and shows tampering', async ({ page, bank }) => {
  await test.step('some actions to audit', async () => {
    await page.goto(bank.urlFor(WS));
    await signIn(page, 'ada', 'Wrong-Password-123!');
    await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText(
      'Wrong username or password.',
    );
    await signIn(page, 'ada', DEMO.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Ada Admin' })).toBeVisible();
    await mainNav(page).getByRole('link', { name: 'Bank settings' }).click();
    const idle = page.getByLabel('Lock an idle workstation after (minutes)');
    await expect(idle).toHaveValue('5');
    await idle.fill('7');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.locator('.toast').getByText('Settings saved.')).toBeVisible();
  });

  let settingsRecord = '';
  await test.step('newest first, with who, where and what', async () => {
    await openAudit(page);
    const ids = await auditIds(page);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(ids, 'newest first').toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    // The newest three records are this session's, in reverse order of what was done.
    const newest = rows(page).first();
    await expect(newest).toHaveAttribute('data-action', 'bank.settings.update');
    await expect(newest.locator('td').nth(2)).toHaveText('ada');
    await expect(newest.locator('td').nth(3)).toHaveText(WS);
    await expect(newest.locator('td').nth(6)).toHaveText('Success');
    await expect(rows(page).nth(1)).toHaveAttribute('data-action', 'session.login');
    await expect(rows(page).nth(1).locator('td').nth(6)).toHaveText('Success');
    await expect(rows(page).nth(2)).toHaveAttribute('data-action', 'session.login');
    await expect(rows(page).nth(2).locator('td').nth(6)).toHaveText('Failure');
    // The demo bank's own loading is the oldest record.
    await expect(rows(page).last()).toHaveAttribute('data-action', 'demo.load');
    settingsRecord = (await newest.getAttribute('data-audit-id'))!;
    await saveScreen(page, test.info(), 'audit-list');
  });

  await test.step('filter by user and by action', async () => {
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByLabel('User', { exact: true }).fill('ada');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expectColumnValues(page, 3, ['ada']);
    await expect(rows(page).first()).toHaveAttribute('data-action', 'bank.settings.update');

    await filters.getByRole('button', { name: 'Clear' }).click();
    await expect(filters.getByLabel('User', { exact: true })).toHaveValue('');
    await expect(rows(page).last()).toHaveAttribute('data-action', 'demo.load');

    await filters.getByLabel('Action').fill('session.login');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expectColumnValues(page, 5, ['session.login']);
    await expectColumnValues(page, 7, ['Failure', 'Success']);

    await filters.getByLabel('Outcome').selectOption({ label: 'Failure' });
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expectColumnValues(page, 7, ['Failure']);
    await expect(rows(page)).toHaveCount(1);

    await filters.getByLabel('Action').fill('no.such.action');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('cell', { name: 'No records match.' })).toBeVisible();
    await filters.getByRole('button', { name: 'Clear' }).click();
    await expect(rows(page).first()).toBeVisible();
  });

  await test.step('verify, seal, verify again', async () => {
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await expect(verdict(page)).toHaveAttribute('data-intact', 'true');
    await expect(verdict(page)).toHaveText(/^Intact: \d+ records and 0 seals verified\. No seal yet\.$/);

    await page.getByRole('button', { name: 'Seal now' }).click();
    await expect(
      page.locator('.toast').getByText(/^Sealed \d+ records of \d+ workstations\.$/),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await expect(verdict(page)).toHaveText(/^Intact: \d+ records and 1 seals verified\. Last seal: /);
    await expect(verdict(page)).toHaveAttribute('data-intact', 'true');
    await saveScreen(page, test.info(), 'audit-intact');
  });

  await test.step('tampering behind the app is found', async () => {
    expect(settingsRecord).toMatch(/^\d+$/);
    await bank.tamper([
      'alter table audit_log disable trigger audit_log_append_only',
      `update audit_log set metadata = metadata || '{"idleLockMinutes": 240}'::jsonb where id = ${settingsRecord}`,
      'alter table audit_log enable trigger audit_log_append_only',
    ]);
    await openAs(page, bank.urlFor(WS), 'ada');
    await openAudit(page);
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    const broken = verdict(page);
    await expect(broken).toHaveAttribute('data-intact', 'false');
    await expect(broken).toHaveAttribute('data-first-record', settingsRecord);
    await expect(broken).toHaveRole('alert');
    await expect(broken).toContainText('Broken: the audit log has been altered.');
    await expect(broken).toContainText(
      new RegExp(
        `First broken record: #${settingsRecord} \\(workstation ${WS}, sequence \\d+\\): its content was changed\\.`,
      ),
    );
    await saveScreen(page, test.info(), 'audit-broken');
  });
});

test('an auditor reads and verifies the log', async ({ page, bank }) => {
  await openAs(page, bank.urlFor('WS-AUDITOR'), 'aurora');
  await openAudit(page);
  await expect(rows(page).last()).toHaveAttribute('data-action', 'demo.load');
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(verdict(page)).toHaveAttribute('data-intact', 'true');
  await expect(verdict(page)).toContainText('Intact:');
});
