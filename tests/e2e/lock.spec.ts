import { expect, mainNav, openAs, saveScreen, test } from './fixtures';
import type { Page } from '@playwright/test';

function lockDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Workstation locked' });
}

/** The screen under the lock is unreachable: inert, hidden from assistive technology, unfocusable. */
async function expectShellUnreachable(page: Page) {
  const shell = page.locator('.shell');
  await expect(shell).toHaveAttribute('inert', '');
  await expect(shell).toHaveAttribute('aria-hidden', 'true');
  await expect(mainNav(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(0);
  const focused = await page
    .getByLabel('User', { exact: true })
    .evaluate((el: HTMLElement) => (el.focus(), document.activeElement === el));
  expect(focused, 'a field under the lock took the focus').toBe(false);
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('.shell')))).toBe(false);
  }
}

test('an idle workstation locks itself and unlocks where the user left off', async ({ page, bank }) => {
  await page.clock.install();
  await openAs(page, bank.urlFor('WS-LOCK-1'), 'ada');
  await mainNav(page).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const userFilter = page.getByLabel('User', { exact: true });
  await userFilter.pressSequentially('ada');

  // Four minutes of quiet is not enough...
  await page.clock.fastForward('04:00');
  await expect(lockDialog(page)).toHaveCount(0);
  // ...but past the bank's five minutes the workstation locks.
  await page.clock.fastForward('01:01');
  const dialog = lockDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Ada Admin locked this workstation.')).toBeVisible();
  await expect(dialog.getByLabel('Password')).toBeFocused();
  await saveScreen(page, test.info(), 'lock-idle');
  await expectShellUnreachable(page);
  // Ctrl+K does nothing while locked.
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('dialog', { name: 'Go to' })).toHaveCount(0);

  await dialog.getByLabel('Password').fill('Not-My-Password-1!');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Wrong username or password.');
  await expect(dialog).toBeVisible();
  await expect(page.locator('.shell')).toHaveAttribute('inert', '');

  await dialog.getByLabel('Password').fill('Bank-Demo-2026!');
  await dialog.getByLabel('Password').press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.shell')).not.toHaveAttribute('inert');
  await expect(userFilter).toHaveValue('ada');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  // The bank's session works again: the half-typed filter applies.
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const users = page.locator('tr[data-audit-id] td:nth-child(3)');
  await expect.poll(async () => [...new Set(await users.allTextContents())]).toEqual(['ada']);
});

test('the Lock button locks at once, and the lock offers to sign out instead', async ({ page, bank }) => {
  await openAs(page, bank.urlFor('WS-LOCK-2'), 'tina');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  const dialog = lockDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Tina Teller locked this workstation.')).toBeVisible();
  await expect(page.locator('.shell')).toHaveAttribute('inert', '');
  await expect(mainNav(page)).toHaveCount(0);

  await dialog.getByLabel('Password').fill('Bank-Demo-2026!');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Tina Teller' })).toBeVisible();

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Sign out instead' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
});
