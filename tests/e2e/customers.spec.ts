import { pdf } from '../fixtures/document-files';
import { expect, label, mainNav, openAs, saveScreen, test } from './fixtures';

test('back office onboards a customer through KYC at the desk; a teller finds it from the palette', async ({
  browser,
  page,
  bank,
}, testInfo) => {
  await openAs(page, bank.url, 'bea');
  await mainNav(page).getByRole('link', { name: 'Prospects' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Prospects' })).toBeVisible();

  await test.step('bea creates a prospect (a duplicate email in another letter case is refused)', async () => {
    await page.getByRole('button', { name: 'New prospect' }).click();
    const dialog = page.getByRole('dialog', { name: 'New prospect' });
    await dialog.getByLabel('Customer type').selectOption({ label: 'Individual' });
    await dialog.getByLabel('Name', { exact: true }).fill('Zoë Quintero');
    await dialog.getByLabel('Email', { exact: true }).fill('LUCIA.FERNANDEZ@example.com');
    await dialog.getByLabel('Date of birth').fill('1988-10-04');
    await dialog.getByLabel('Phone').fill('+1 305 555 0144');
    await dialog.getByLabel('Address').fill('1200 Brickell Ave, Miami, FL 33131');
    await dialog.getByLabel('Identity document type').selectOption({ label: 'Passport' });
    await dialog.getByLabel('Identity document number').fill('X9981-7734');
    await dialog.getByRole('button', { name: 'Create' }).click();
    // Lucía Fernández of the demo bank has this email already.
    await expect(dialog.getByRole('alert')).toHaveText(
      'The email lucia.fernandez@example.com already belongs to a prospect or customer (letter case does not matter).',
    );
    await dialog.getByLabel('Email', { exact: true }).fill('zoe.quintero@example.com');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(
      page.getByRole('heading', { level: 1, name: /^Prospect P-\d{6}: Zoë Quintero$/ }),
    ).toBeVisible();
    await expect(page.locator('.screen-header .badge')).toHaveText('New');
  });

  await test.step('bea starts the verification and attaches the passport', async () => {
    await page.getByRole('button', { name: 'Start verification' }).click();
    await expect(page.locator('.screen-header .badge')).toHaveText('Verification started');
    const panel = page.locator('section.documents-panel');
    await panel
      .getByTestId('documents-picker')
      .setInputFiles([
        { name: 'Passport Zoe.pdf', mimeType: 'application/pdf', buffer: pdf('Passport of Zoe Quintero') },
      ]);
    await expect(panel.locator('tr[data-name="Passport Zoe.pdf"]')).toContainText('Active');
  });

  await test.step('bea records an approved verification, then converts', async () => {
    await page.getByRole('button', { name: 'Record verification' }).click();
    const dialog = page.getByRole('dialog', { name: 'Verification of Zoë Quintero' });
    await expect(dialog.getByTestId('active-documents')).toHaveText(
      '1 active document attached. Check it before approving.',
    );
    await dialog.getByLabel('Approved').check();
    await saveScreen(page, testInfo, 'prospect-record-kyc');
    await dialog.getByRole('button', { name: 'Record decision' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('identity')).toContainText('Verified');
    await saveScreen(page, testInfo, 'prospect-verified');
    await page.getByRole('button', { name: 'Convert to customer' }).click();
    await expect(
      page.getByRole('heading', { level: 1, name: /^Customer C-\d{6}: Zoë Quintero$/ }),
    ).toBeVisible();
    // The deposit account requested at conversion is opened with it: no banner, the account listed.
    await expect(page.getByTestId('deposit-banner')).toHaveCount(0);
    const accounts = page.getByTestId('customer-deposit-accounts');
    await expect(accounts.getByRole('link', { name: /^DA-\d{6}$/ })).toBeVisible();
    await expect(accounts).toContainText('Active');
    await expect(accounts).toContainText('$0.00');
    await expect(page.getByTestId('history')).toContainText('Converted to customer');
    // The documents module's records about this customer's documents are part of its history.
    await expect(page.getByTestId('history')).toContainText('Document attached');
    await saveScreen(page, testInfo, 'customer-page');
  });

  await test.step('tina finds the customer with a typo from the command palette and opens the page', async () => {
    const context = await browser.newContext();
    const teller = await context.newPage();
    await openAs(teller, bank.urlFor('WS-COUNTER-1'), 'tina');
    await teller.keyboard.press('Control+k');
    const palette = teller.getByRole('dialog', { name: 'Go to' });
    await teller.keyboard.type('Quintro');
    const option = palette.getByRole('option', { name: /^Customer C-\d{6} · Zoë Quintero$/ });
    await expect(option).toBeVisible();
    await saveScreen(teller, testInfo, 'palette-customer');
    await option.click();
    await expect(
      teller.getByRole('heading', { level: 1, name: /^Customer C-\d{6}: Zoë Quintero$/ }),
    ).toBeVisible();
    await expect(teller.getByTestId('customer-status')).toHaveText('Active');
    await expect(teller.getByTestId('identity')).toContainText('X9981-7734');
    // A teller reads; the back office acts.
    await expect(teller.getByRole('button', { name: 'Freeze' })).toHaveCount(0);

    await mainNav(teller).getByRole('link', { name: 'Customers' }).click();
    await teller.getByLabel('Find a customer').fill('x99817734');
    await expect(teller.getByTestId('customer-hits').locator('tbody tr')).toHaveCount(1);
    await expect(teller.getByTestId('customer-hits')).toContainText('Zoë Quintero');
    await saveScreen(teller, testInfo, 'customer-search');
    await context.close();
  });
});

test('the prospects and customer screens in Spanish', async ({ page, bank }, testInfo) => {
  await page.goto(bank.url);
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Español' });
  const form = page.getByRole('form', { name: 'Iniciar sesión' });
  await form.getByLabel('Usuario').fill('bea');
  await form.getByLabel('Contraseña').fill('Bank-Demo-2026!');
  await form.getByRole('button', { name: 'Entrar' }).click();
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await nav.getByRole('link', { name: label('nav.prospects', 'es') }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Prospectos' })).toBeVisible();
  await page.getByLabel('Etapa').selectOption({ label: 'Verificación rechazada' });
  const rows = page.getByTestId('prospects').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Kestrel Shipping (Panama) S.A.');
  await expect(rows).toContainText('Agencia o filial extranjera');
  await saveScreen(page, testInfo, 'prospects-es');

  await rows.getByRole('link', { name: 'Kestrel Shipping (Panama) S.A.' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Prospecto P-\d{6}: Kestrel/ })).toBeVisible();
  await expect(page.getByText('Información incompleta — Beneficial owners not documented.')).toBeVisible();
  // A declined prospect is not converted; an operator starts a new attempt.
  await expect(page.getByRole('button', { name: 'Convertir en cliente' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Nuevo intento de verificación' }).click();
  await expect(page.locator('.screen-header .badge')).toHaveText('Verificación iniciada');

  await nav.getByRole('link', { name: 'Clientes' }).click();
  await page.getByLabel('Buscar un cliente').fill('Northwnd');
  await page.getByTestId('customer-hits').getByRole('link', { name: 'Northwind Traders Ltd' }).click();
  await expect(page.getByTestId('deposit-banner')).toHaveCount(0);
  await expect(page.getByTestId('customer-deposit-accounts')).toContainText('Activa');
  await page.getByRole('button', { name: 'Cerrar cliente' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cerrar el cliente Northwind Traders Ltd' });
  await expect(dialog.getByTestId('closing-checks').locator('li')).toHaveCount(5);
  await saveScreen(page, testInfo, 'customer-close-es');
});
