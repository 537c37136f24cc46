import { expect, mainNav, openAs, saveScreen, screensOf, test } from './fixtures';

test('Español is chosen in the status bar and remembered by the workstation', async ({
  page,
  bank,
  browser,
}) => {
  await page.goto(bank.urlFor('WS-LANG-1'));
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Español' });
  await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  // The language select is translated too; its name follows.
  const select = page.getByRole('combobox', { name: 'Idioma' });
  await expect(select).toHaveValue('es');
  expect(await page.evaluate(() => localStorage.getItem('bank.language'))).toBe('es');

  // A reload (a new start of the app on this workstation) keeps Spanish.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await saveScreen(page, test.info(), 'language-login-es');

  // Signed in, the screens and the status bar speak Spanish, and errors are translated.
  const form = page.getByRole('form', { name: 'Iniciar sesión' });
  await form.getByLabel('Usuario').fill('ada');
  await form.getByLabel('Contraseña').fill('Not-The-Password-42!');
  await form.getByRole('button', { name: 'Entrar' }).click();
  await expect(form.getByRole('alert')).toHaveText('Usuario o contraseña incorrectos.');

  await form.getByLabel('Contraseña').fill('Bank-Demo-2026!');
  await form.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bienvenido/a, Ada Admin' })).toBeVisible();
  await expect(page.getByText('Sus roles: Administrador')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await expect(nav.getByRole('link')).toHaveText(screensOf('ada', 'es'));
  await expect(nav.getByRole('link', { name: 'Registro de auditoría' })).toBeVisible();
  await expect(page.getByTestId('status-business-date')).toHaveText(/^Fecha contable: 25 nov\.? 2026$/);
  await expect(page.getByTestId('status-connection')).toHaveText(/En línea/);
  await expect(page.getByRole('button', { name: 'Bloquear', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cerrar sesión', exact: true })).toBeVisible();
  await saveScreen(page, test.info(), 'language-home-es');

  // The choice belongs to this workstation: another one (its own storage) still starts in English.
  const other = await browser.newContext();
  try {
    const page2 = await other.newPage();
    await openAs(page2, bank.urlFor('WS-LANG-2'), 'tina');
    await expect(mainNav(page2).getByRole('link')).toHaveText(screensOf('tina'));
  } finally {
    await other.close();
  }

  // And back to English, without signing out.
  await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Ada Admin' })).toBeVisible();
  await expect(mainNav(page).getByRole('link').first()).toHaveText('Home');
  expect(await page.evaluate(() => localStorage.getItem('bank.language'))).toBe('en');
});
