import { ALL_SCREENS, expect, openAs, saveScreen, screensOf, test } from './fixtures';

const ACTIONS = ['Switch language to Español', 'Lock the workstation', 'Sign out'];

test('Ctrl+K opens the command palette; typing and Enter go there; Escape closes it', async ({
  page,
  bank,
}) => {
  await openAs(page, bank.urlFor('WS-PALETTE'), 'ada');
  const palette = page.getByRole('dialog', { name: 'Go to' });
  const input = palette.getByRole('combobox');

  await page.keyboard.press('Control+k');
  await expect(palette).toBeVisible();
  await expect(input).toBeFocused();
  // Everything the user may open, and the session's actions.
  await expect(palette.getByRole('option')).toHaveText([...ALL_SCREENS, ...ACTIONS]);

  await page.keyboard.type('audit');
  await expect(palette.getByRole('option')).toHaveText(['Audit log']);
  await expect(palette.getByRole('option', { name: 'Audit log' })).toHaveAttribute('aria-selected', 'true');
  await saveScreen(page, test.info(), 'palette-audit');
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page).toHaveURL(/#\/audit$/);

  // Escape closes without going anywhere.
  await page.keyboard.press('Control+k');
  await expect(palette).toBeVisible();
  await page.keyboard.type('settings');
  await expect(palette.getByRole('option')).toHaveText(['Bank settings']);
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

  // Arrow keys choose among the matches; nothing matching says so.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('zzz');
  await expect(palette.getByText('Nothing matches.')).toBeVisible();
  await input.fill('s');
  const matches = [...ALL_SCREENS, ...ACTIONS].filter((l) => l.toLowerCase().includes('s'));
  await expect(palette.getByRole('option')).toHaveText(matches);
  const selected = palette.locator('[role=option][aria-selected=true]');
  await expect(selected).toHaveText(matches[0]!);
  const target = matches.indexOf('Bank settings');
  for (let i = 0; i <= target; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(selected).toHaveText('Bank settings');
  await expect(input).toHaveAttribute('aria-activedescendant', 'palette-/settings');
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Bank settings' })).toBeVisible();
});

test('a teller’s palette offers only what a teller may open', async ({ page, bank }) => {
  await openAs(page, bank.urlFor('WS-PALETTE-2'), 'tina');
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Go to' });
  await expect(palette.getByRole('option')).toHaveText([...screensOf('tina'), ...ACTIONS]);
  // A teller reads customers (and prospects) and deposit accounts, works at the counter and their till,
  // and reads their own journal: nothing of the back office or the ledger.
  expect(screensOf('tina')).toEqual([
    'Home',
    'Customers',
    'Prospects',
    'Deposit accounts',
    'My journal today',
    'Verify a receipt',
    'Counter',
    'My till',
  ]);
  await page.keyboard.type('audit');
  await expect(palette.getByText('Nothing matches.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);
});
