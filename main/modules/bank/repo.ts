import type { Db, Trx } from '../../db';

type Q = Db | Trx;

export interface BankRow {
  name: string;
  base_currency: string;
  business_date: string;
  time_zone: string;
}

export async function getBank(q: Q): Promise<BankRow | undefined> {
  return q('bank').where('id', 1).first<BankRow>('name', 'base_currency', 'business_date', 'time_zone');
}

/** Returns false when the bank already exists (the singleton row is taken). */
export async function insertBank(
  q: Q,
  b: { name: string; businessDate: string; at: Date },
): Promise<boolean> {
  const rows = await q('bank')
    .insert({ id: 1, name: b.name, base_currency: 'USD', business_date: b.businessDate, created_at: b.at })
    .onConflict('id')
    .ignore()
    .returning('id');
  return rows.length === 1;
}

export async function getSetting(q: Q, key: string): Promise<unknown> {
  const row = await q('bank_settings').where({ key }).first('value');
  return row?.value;
}

export async function putSetting(
  q: Q,
  key: string,
  value: unknown,
  by: string | null,
  at: Date,
): Promise<void> {
  await q('bank_settings')
    .insert({ key, value: JSON.stringify(value), updated_by: by, updated_at: at })
    .onConflict('key')
    .merge();
}
