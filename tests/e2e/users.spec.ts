import type { Page } from '@playwright/test';
import { permissionsOf } from '../../shared/permissions';
import { SCREENS } from '../../renderer/src/navigation';
import { expect, label, mainNav, openAs, saveScreen, signIn, test, watchErrors } from './fixtures';

const NEW = {
  username: 'nina',
  fullName: 'Nina Newcomer',
  temporary: 'Temporary-Pass-2026!',
  chosen: 'My-Own-Secret-77',
  reset: 'Reset-By-Admin-99!',
};

function userRow(page: Page, username: string) {
  return page.locator(`tr[data-username="${username}"]`);
}

/** The Staff users screen reloads its list (the search form, submitted empty). */
async function refreshList(page: Page) {
  await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
}

test('an administrator manages a user through its whole life', async ({ page, bank, browser }) => {
  await openAs(page, bank.urlFor('WS-ADMIN'), 'ada');
  await mainNav(page).getByRole('link', { name: 'Staff users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Staff users' })).toBeVisible();
  await expect(userRow(page, 'tina')).toBeVisible();

  await test.step('create the user, keyboard only', async () => {
    await page.getByRole('button', { name: 'New user' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Username')).toBeFocused();
    await page.keyboard.type(NEW.username);
    await page.keyboard.press('Tab');
    await expect(dialog.getByLabel('Full name')).toBeFocused();
    await page.keyboard.type(NEW.fullName);
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('checkbox', { name: 'Teller', exact: true })).toBeFocused();
    await page.keyboard.press('Space');
    // Teller, Head teller, Back office, Supervisor: three more.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expect(dialog.getByRole('checkbox', { name: 'Supervisor' })).toBeFocused();
    await page.keyboard.press('Space');
    // Accountant, Auditor, Administrator, then the password.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    await expect(dialog.getByLabel('Temporary password')).toBeFocused();
    await page.keyboard.type('weak');
    await expect(dialog.getByText('Use at least 12 characters.')).toBeVisible();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(NEW.temporary);
    await expect(dialog.getByText('Strong enough.')).toBeVisible();
    await saveScreen(page, test.info(), 'users-new-user-dialog');
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: `User ${NEW.username} created.` })).toBeVisible();

    const row = userRow(page, NEW.username);
    await expect(row.getByRole('cell')).toHaveText([
      NEW.username,
      NEW.fullName,
      /^(Teller, Supervisor|Supervisor, Teller)$/,
      /Active\s*Must change password/,
      'Never',
      /Roles…\s*Reset password\s*Disable/,
    ]);
    await saveScreen(page, test.info(), 'users-list');
  });

  const other = await browser.newContext();
  const page2 = await other.newPage();
  const page2Errors = watchErrors(page2);
  try {
    await test.step('the new user must choose a password, then sees their home', async () => {
      await page2.goto(bank.urlFor('WS-NEW-USER'));
      await signIn(page2, NEW.username, NEW.temporary);
      const form = page2.getByRole('form', { name: 'Choose a new password' });
      await expect(form).toBeVisible();
      await expect(mainNav(page2)).toHaveCount(0);
      await form.getByLabel('Current password').fill(NEW.temporary);
      await form.getByLabel('New password', { exact: true }).fill(NEW.chosen);
      await form.getByLabel('Repeat the new password').fill('My-Own-Secret-78');
      await expect(form.getByRole('button', { name: 'Change password' })).toBeDisabled();
      await form.getByLabel('Repeat the new password').fill(NEW.chosen);
      await form.getByRole('button', { name: 'Change password' }).click();
      await expect(page2.getByRole('heading', { level: 1, name: `Welcome, ${NEW.fullName}` })).toBeVisible();
      await expect(page2.getByRole('status').filter({ hasText: 'Your password was changed.' })).toBeVisible();
      // What a teller and supervisor may open, from the permission table and the screen list.
      const granted = permissionsOf(['teller', 'supervisor']);
      const screens = SCREENS.filter((s) => !s.permission || granted.has(s.permission)).map((s) =>
        label(s.labelKey),
      );
      expect(screens).toContain('Staff users');
      await expect(mainNav(page2).getByRole('link')).toHaveText(screens);

      await refreshList(page);
      const status = userRow(page, NEW.username).getByRole('cell').nth(3);
      await expect(status).toHaveText('Active');
      await expect(userRow(page, NEW.username).getByRole('cell').nth(4)).not.toHaveText('Never');
    });

    await test.step('the administrator disables the user', async () => {
      await userRow(page, NEW.username).getByRole('button', { name: 'Disable' }).click();
      const dialog = page.getByRole('dialog', { name: `Disable ${NEW.username}` });
      await expect(dialog.getByLabel('Reason')).toBeFocused();
      await page.keyboard.type('Left the branch.');
      await dialog.getByRole('button', { name: 'Disable' }).click();
      await expect(dialog).toHaveCount(0);
      const row = userRow(page, NEW.username);
      await expect(row.getByRole('cell').nth(3)).toHaveText('Disabled');
      await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();
    });

    await test.step('the disabled user is refused at the next action and at sign-in', async () => {
      // Still on their screen: the next call to the bank ends the session.
      await mainNav(page2).getByRole('link', { name: 'Staff users' }).click();
      const login = page2.getByRole('form', { name: 'Sign in' });
      await expect(login).toBeVisible();
      // ...and says why.
      await expect(
        page2.locator('.toast').getByText('This user is disabled. Ask an administrator.'),
      ).toBeVisible();
      await signIn(page2, NEW.username, NEW.chosen);
      await expect(login.getByRole('alert')).toHaveText('This user is disabled. Ask an administrator.');
      await expect(login.getByRole('alert')).toHaveAttribute('data-error-code', 'USER_DISABLED');
      await saveScreen(page2, test.info(), 'users-disabled-refused');
    });

    await test.step('the administrator resets the password and enables the user again', async () => {
      await userRow(page, NEW.username).getByRole('button', { name: 'Reset password' }).click();
      const dialog = page.getByRole('dialog', { name: `Reset the password of ${NEW.username}` });
      await expect(dialog.getByLabel('Temporary password')).toBeFocused();
      await page.keyboard.type(NEW.reset);
      await page.keyboard.press('Enter');
      await expect(dialog).toHaveCount(0);
      await expect(userRow(page, NEW.username).getByRole('cell').nth(3)).toHaveText(
        /Disabled\s*Must change password/,
      );
      await userRow(page, NEW.username).getByRole('button', { name: 'Enable' }).click();
      await expect(userRow(page, NEW.username).getByRole('cell').nth(3)).toHaveText(
        /Active\s*Must change password/,
      );

      // The password the user chose is gone; the new temporary one must be replaced again.
      const login = page2.getByRole('form', { name: 'Sign in' });
      await signIn(page2, NEW.username, NEW.chosen);
      await expect(login.getByRole('alert')).toHaveText('Wrong username or password.');
      await signIn(page2, NEW.username, NEW.reset);
      await expect(page2.getByRole('form', { name: 'Choose a new password' })).toBeVisible();
      expect(page2Errors, 'uncaught errors in the second page').toEqual([]);
    });
  } finally {
    await other.close();
  }
});
