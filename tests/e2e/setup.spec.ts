import { expect, saveScreen, signIn, test } from './fixtures';

test.use({ bankMode: 'empty' });

const BANK = 'Harbor Savings Bank';
const ADMIN = { fullName: 'Grace Hopper', username: 'grace', password: 'Cobol-Compiler-1959' };

test('a new bank is set up, and its first administrator signs in', async ({ page, bank }) => {
  await page.goto(bank.urlFor('WS-SETUP-1'));
  const form = page.getByRole('form', { name: 'Set up your bank' });
  await expect(form).toBeVisible();
  await expect(form.getByText('This database is empty.')).toBeVisible();
  await expect(page.getByTestId('status-bank')).toHaveText('—');

  await form.getByLabel('Bank name').fill(BANK);
  await expect(form.getByLabel('Base currency')).toHaveValue('USD');
  await form.getByLabel('Business date').fill('2026-03-02');
  await form.getByLabel('Full name').fill(ADMIN.fullName);
  await form.getByLabel('Username').fill(ADMIN.username);

  const password = form.getByLabel('Password', { exact: true });
  const passwordField = form.locator('.field', { has: page.getByLabel('Password', { exact: true }) });
  // Before typing: the rule itself.
  await expect(passwordField.locator('.hint')).toHaveText(/At least 12 characters/);
  // Live feedback while typing, with the very rule the bank enforces.
  await password.fill('short');
  const problems = passwordField.getByRole('listitem');
  await expect(problems).toHaveText([
    'Use at least 12 characters.',
    'Mix at least three of: lower case, upper case, digits, symbols.',
  ]);
  await password.fill('graceful-grace-2026');
  await expect(problems).toHaveText(['The password must not contain the username.']);
  await password.fill('alllowercaseletters');
  await expect(problems).toHaveText(['Mix at least three of: lower case, upper case, digits, symbols.']);
  await password.fill(ADMIN.password);
  await expect(problems).toHaveCount(0);
  await expect(passwordField.locator('.hint')).toHaveText('Strong enough.');

  const repeat = form.getByLabel('Repeat the password');
  const repeatField = form.locator('.field', { has: page.getByLabel('Repeat the password') });
  await repeat.fill('Cobol-Compiler-1960');
  await expect(repeat).toHaveAttribute('aria-invalid', 'true');
  await expect(repeatField.locator('.hint')).toHaveText('The two passwords differ.');
  await saveScreen(page, test.info(), 'setup-feedback');
  // The bank refuses the mismatch too: nothing is created.
  await form.getByRole('button', { name: 'Create bank' }).click();
  await expect(form.getByRole('alert')).toHaveText('The two passwords differ.');
  await expect(form).toBeVisible();

  await repeat.fill(ADMIN.password);
  await expect(repeat).toHaveAttribute('aria-invalid', 'false');
  await expect(repeatField.locator('.hint')).toHaveCount(0);
  await form.getByRole('button', { name: 'Create bank' }).click();

  await expect(
    page.getByRole('status').filter({ hasText: 'The bank is ready. Sign in as its administrator.' }),
  ).toBeVisible();
  const login = page.getByRole('form', { name: 'Sign in' });
  await expect(login).toBeVisible();
  await expect(login.getByText(BANK)).toBeVisible();

  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${ADMIN.fullName}` })).toBeVisible();
  await expect(page.getByText('Your roles: Administrator')).toBeVisible();
  await expect(page.getByTestId('status-bank')).toHaveText(BANK);
  await expect(page.getByTestId('status-business-date')).toHaveText('Business date: Mar 2, 2026');
  await expect(page.getByTestId('status-user')).toHaveText(`${ADMIN.fullName} (${ADMIN.username})`);
  await expect(page.getByTestId('status-workstation')).toHaveText('WS-SETUP-1');
  const connection = page.getByTestId('status-connection');
  await expect(connection).toHaveText(/Online/);
  await expect(connection).toHaveAttribute('data-state', 'online');
  await saveScreen(page, test.info(), 'setup-admin-home');

  // The bank exists now: a reload goes to sign in, never to setup again.
  await page.reload();
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Set up your bank' })).toHaveCount(0);
});
