import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { elf, pdf, png } from '../fixtures/document-files';
import type { Page } from '@playwright/test';
import { expect, label, openAs, saveScreen, test } from './fixtures';

const PROSPECT = randomUUID();

/** The prospect's page, reached inside the signed-in app (a new page load would sign out). */
async function openProspect(page: Page, id: string) {
  await page.evaluate((path) => (window.location.hash = path), `#/prospects/${id}`);
}

test('back office attaches, previews, downloads, archives and deletes a prospect’s documents', async ({
  browser,
  page,
  bank,
}, testInfo) => {
  await bank.tamper([
    `insert into prospects (id, customer_type, email, full_name)
       values ('${PROSPECT}', 'individual', 'ana.e2e@example.com', 'Ana Documents')`,
  ]);
  const passport = pdf('Passport of Ana Documents');
  const selfie = png(320, 200);

  await openAs(page, bank.url, 'bea');
  await openProspect(page, PROSPECT);
  const panel = page.locator('section.documents-panel');
  await expect(panel.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await expect(panel.getByText('PDF, PNG, JPEG, TIFF, HEIC, WebP, CSV · up to 25 MB each')).toBeVisible();

  await test.step('two files at once through the file picker, each with its progress', async () => {
    await panel.getByTestId('documents-picker').setInputFiles([
      { name: 'Passport scan.pdf', mimeType: 'application/pdf', buffer: passport },
      { name: 'selfie.png', mimeType: 'image/png', buffer: selfie },
    ]);
    const items = panel.getByTestId('upload-item');
    await expect(items).toHaveCount(2);
    await expect(items.and(page.locator('[data-state="done"]'))).toHaveCount(2);
    for (const bar of await items.locator('progress').all()) {
      await expect(bar).toHaveJSProperty('position', 1);
    }
    const rows = panel.getByTestId('document-row');
    await expect(rows).toHaveCount(2);
    await expect(panel.locator('tr[data-name="Passport scan.pdf"]')).toContainText('Active');
    await expect(panel.locator('tr[data-name="selfie.png"]')).toContainText('PNG');
    await saveScreen(page, testInfo, 'documents-attached');
  });

  await test.step('the PDF previews inside the app', async () => {
    await panel.locator('tr[data-name="Passport scan.pdf"]').getByRole('button', { name: 'Preview' }).click();
    const dialog = page.getByRole('dialog', { name: 'Preview: Passport scan.pdf' });
    const frame = dialog.locator('iframe');
    await expect(frame).toHaveAttribute('src', /^blob:/);
    // Chromium's PDF viewer paints a moment after the frame loads; the screenshot is for people.
    await page.waitForTimeout(1500);
    await saveScreen(page, testInfo, 'documents-preview-pdf');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await panel.locator('tr[data-name="selfie.png"]').getByRole('button', { name: 'Preview' }).click();
    const image = page.getByRole('dialog').getByRole('img', { name: 'selfie.png' });
    await expect(image).toBeVisible();
    await expect(image).toHaveJSProperty('naturalWidth', 320);
    await saveScreen(page, testInfo, 'documents-preview-image');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  });

  await test.step('a download gives the very bytes, under a sanitized name', async () => {
    const download = page.waitForEvent('download');
    await panel
      .locator('tr[data-name="Passport scan.pdf"]')
      .getByRole('button', { name: 'Download' })
      .click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('Passport-scan.pdf');
    expect(readFileSync((await file.path())!).equals(passport)).toBe(true);
  });

  await test.step('archive one, delete the other with a reason', async () => {
    await panel.locator('tr[data-name="Passport scan.pdf"]').getByRole('button', { name: 'Archive' }).click();
    await expect(panel.locator('tr[data-name="Passport scan.pdf"]')).toHaveAttribute(
      'data-status',
      'archived',
    );
    await panel.locator('tr[data-name="selfie.png"]').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete selfie.png' });
    await expect(dialog.getByRole('button', { name: 'Delete document' })).toBeDisabled();
    await dialog.getByLabel('Reason').fill('Blurred, customer will send another');
    await dialog.getByRole('button', { name: 'Delete document' }).click();
    await expect(panel.locator('tr[data-name="selfie.png"]')).toHaveCount(0);
    await expect(panel.getByTestId('document-row')).toHaveCount(1);
  });

  await test.step('an executable renamed .pdf is refused with the translated reason', async () => {
    await panel
      .getByTestId('documents-picker')
      .setInputFiles([{ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: elf() }]);
    const refused = panel.getByTestId('upload-item').filter({ hasText: 'invoice.pdf' });
    await expect(refused).toHaveAttribute('data-state', 'failed');
    await expect(refused).toContainText(
      label('errors.DOCUMENT_TYPE_NOT_ALLOWED').replace('{{detected}}', 'application/x-elf'),
    );
    const failedRow = panel.locator('tr[data-name="invoice.pdf"]');
    await expect(failedRow).toHaveAttribute('data-status', 'failed');
    await expect(failedRow.getByRole('button', { name: 'Retry' })).toBeVisible();
    await saveScreen(page, testInfo, 'documents-refused');
  });

  await test.step('the same content again is offered as already attached', async () => {
    await panel
      .getByTestId('documents-picker')
      .setInputFiles([{ name: 'passport again.pdf', mimeType: 'application/pdf', buffer: passport }]);
    const again = panel.getByTestId('upload-item').filter({ hasText: 'passport again.pdf' });
    await expect(again).toHaveAttribute('data-state', 'failed');
    await expect(again).toContainText('already attached as “Passport scan.pdf”');
  });

  await test.step('tina, a teller, sees the list but may not attach, download or delete', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await openAs(other, bank.url, 'tina');
    await openProspect(other, PROSPECT);
    const hers = other.locator('section.documents-panel');
    await expect(hers.locator('tr[data-name="Passport scan.pdf"]')).toBeVisible();
    await expect(hers.getByTestId('documents-drop')).toHaveCount(0);
    await expect(hers.getByRole('button', { name: 'Download' })).toHaveCount(0);
    await expect(hers.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    await context.close();
  });

  await test.step('axel, an accountant without document.read, sees the prospect but no documents panel', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await openAs(other, bank.url, 'axel');
    await openProspect(other, PROSPECT);
    await expect(other.getByRole('heading', { level: 1, name: /Ana Documents/ })).toBeVisible();
    await expect(other.locator('section.documents-panel')).toHaveCount(0);
    await context.close();
  });
});

test('a bad file name is refused before any byte is sent, in Spanish too', async ({ page, bank }) => {
  await bank.tamper([
    `insert into prospects (id, customer_type, email, full_name)
       values ('${PROSPECT}', 'individual', 'rtl.e2e@example.com', 'Rita Names')`,
  ]);
  await openAs(page, bank.url, 'bea');
  await openProspect(page, PROSPECT);
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Español' });
  const panel = page.locator('section.documents-panel');
  await expect(panel.getByRole('heading', { name: 'Documentos' })).toBeVisible();
  await panel
    .getByTestId('documents-picker')
    .setInputFiles([{ name: 'factura\u202Efdp.exe', mimeType: 'application/pdf', buffer: pdf('x') }]);
  const item = panel.getByTestId('upload-item');
  await expect(item).toHaveAttribute('data-state', 'failed');
  await expect(item).toContainText(label('errors.DOCUMENT_NAME_INVALID', 'es'));
  await expect(item).toContainText(label('documents.nameProblem.bidi', 'es'));
  await expect(panel.getByTestId('document-row')).toHaveCount(0);
});

test('files dropped on the panel are attached; the limits are bank settings', async ({
  browser,
  page,
  bank,
}, testInfo) => {
  await bank.tamper([
    `insert into prospects (id, customer_type, email, full_name)
       values ('${PROSPECT}', 'individual', 'drop.e2e@example.com', 'Dora Drop')`,
  ]);

  await test.step('ada allows PDF only, up to 1 MB', async () => {
    await openAs(page, bank.url, 'ada');
    await page.getByRole('link', { name: 'Bank settings' }).first().click();
    const form = page.getByRole('form', { name: 'Customer documents' });
    // The bank's current values first (the form is disabled until they arrive).
    await expect(form.getByLabel('Largest file (MB)')).toHaveValue('25');
    await form.getByLabel('Largest file (MB)').fill('1');
    for (const type of ['PNG', 'JPEG', 'TIFF', 'HEIC', 'WebP', 'CSV']) await form.getByLabel(type).uncheck();
    await form.getByRole('button', { name: 'Save document rules' }).click();
    await expect(page.getByText('Document settings saved')).toBeVisible();
    await saveScreen(page, testInfo, 'documents-settings');
  });

  const context = await browser.newContext();
  const bea = await context.newPage();
  await openAs(bea, bank.url, 'bea');
  await openProspect(bea, PROSPECT);
  const panel = bea.locator('section.documents-panel');
  await expect(panel.getByText('PDF · up to 1 MB each')).toBeVisible();

  const drop = async (files: { name: string; type: string; bytes: Buffer }[]) => {
    const dataTransfer = await bea.evaluateHandle(
      (list) => {
        const dt = new DataTransfer();
        for (const f of list) {
          const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
          dt.items.add(new File([bytes], f.name, { type: f.type }));
        }
        return dt;
      },
      files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') })),
    );
    await panel.getByTestId('documents-drop').dispatchEvent('drop', { dataTransfer });
  };

  await drop([
    { name: 'dropped.pdf', type: 'application/pdf', bytes: pdf('Dropped') },
    { name: 'photo.png', type: 'image/png', bytes: png(16, 16) },
    { name: 'big.pdf', type: 'application/pdf', bytes: pdf('Big', 1024 * 1024 + 10) },
  ]);
  const item = (name: string) => panel.getByTestId('upload-item').filter({ hasText: name });
  await expect(item('dropped.pdf')).toHaveAttribute('data-state', 'done');
  await expect(item('photo.png')).toHaveAttribute('data-state', 'failed');
  await expect(item('photo.png')).toContainText(
    'This type of file is not accepted (its content is image/png).',
  );
  await expect(item('big.pdf')).toHaveAttribute('data-state', 'failed');
  await expect(item('big.pdf')).toContainText('The file is larger than the limit of 1 MB.');
  // The oversized file was refused before any byte was sent: no record. The PNG is recorded failed.
  await expect(panel.locator('tr[data-name="dropped.pdf"]')).toHaveAttribute('data-status', 'active');
  await expect(panel.locator('tr[data-name="photo.png"]')).toHaveAttribute('data-status', 'failed');
  await expect(panel.locator('tr[data-name="big.pdf"]')).toHaveCount(0);
  await context.close();
});
