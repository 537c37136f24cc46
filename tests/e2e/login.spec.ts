import { ALL_SCREENS, DEMO, expect, mainNav, openAs, saveScreen, screensOf, signIn, test } from './fixtures';

test('a wrong password and an unknown user get the same translated refusal', async ({ page, bank }) => {
  await page.goto(bank.url);
  const form = page.getByRole('form', { name: 'Sign in' });
  await expect(form).toBeVisible();
  await expect(form.getByText(DEMO.bankName)).toBeVisible();

  await signIn(page, 'ada', 'Not-The-Password-42!');
  const error = form.getByRole('alert');
  await expect(error).toHaveText('Wrong username or password.');
  await expect(error).toHaveAttribute('data-error-code', 'INVALID_CREDENTIALS');
  await expect(form.getByLabel('Password')).toHaveValue('');

  await signIn(page, 'nobody-here', DEMO.password);
  await expect(error).toHaveText('Wrong username or password.');
  await expect(error).toHaveAttribute('data-error-code', 'INVALID_CREDENTIALS');
  await expect(page.getByTestId('status-user')).toHaveCount(0);
  await saveScreen(page, test.info(), 'login-refused');
});

test('the right password opens the home screen and sign out returns to sign in', async ({ page, bank }) => {
  await openAs(page, bank.urlFor('WS-LOGIN'), 'tina');
  await expect(page.getByText('Your roles: Teller')).toBeVisible();
  await expect(page.getByTestId('status-user')).toHaveText('Tina Teller (tina)');
  await saveScreen(page, test.info(), 'home-teller');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('status-user')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // The session is gone on the bank's side too: a reload does not bring it back.
  await page.reload();
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
});

test('the navigation offers only what each role may open', async ({ page, bank }) => {
  // What the brief of each role says, whatever screens are added later...
  const cases: { user: string; sees: string[]; doesNotSee: string[] }[] = [
    { user: 'tina', sees: ['Home'], doesNotSee: ['Staff users', 'Audit log', 'Bank settings'] },
    { user: 'sofia', sees: ['Home', 'Staff users'], doesNotSee: ['Audit log', 'Bank settings'] },
    { user: 'aurora', sees: ['Home', 'Staff users', 'Audit log'], doesNotSee: ['Bank settings'] },
    { user: 'ada', sees: ALL_SCREENS, doesNotSee: [] },
  ];
  for (const { user, sees, doesNotSee } of cases) {
    await test.step(user, async () => {
      await openAs(page, bank.urlFor('WS-ROLES'), user);
      const nav = mainNav(page);
      // ...and exactly what the permission table grants, in navigation order.
      await expect(nav.getByRole('link')).toHaveText(screensOf(user));
      for (const screen of sees)
        await expect(nav.getByRole('link', { name: screen, exact: true })).toHaveCount(1);
      for (const screen of doesNotSee)
        await expect(nav.getByRole('link', { name: screen, exact: true })).toHaveCount(0);

      // A screen the role may not open is not reachable by its address either: it falls back to home.
      await page.evaluate(() => (window.location.hash = '#/settings'));
      const settings = page.getByRole('heading', { level: 1, name: 'Bank settings' });
      if (screensOf(user).includes('Bank settings')) await expect(settings).toBeVisible();
      else {
        await expect(page.getByRole('heading', { level: 1, name: /^Welcome, / })).toBeVisible();
        await expect(settings).toHaveCount(0);
      }
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
    });
  }
});
