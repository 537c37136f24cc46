import type { Knex } from 'knex';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_ledger';
import * as m0003 from './0003_accounting';
import * as m0004 from './0004_manual_transactions';
import * as m0005 from './0005_ledger_batch';
import * as m0006 from './0006_module_integration';
import * as m0007 from './0007_customers';
import * as m0008 from './0008_documents';
import * as m0009 from './0009_governance';
import * as m0010 from './0010_deposits';
import * as m0011 from './0011_tills';
import * as m0012 from './0012_teller_journal';
import * as m0013 from './0013_cash_controls';
import * as m0014 from './0014_staff_events';
import * as m0015 from './0015_ledger_free_shard';
import * as m0016 from './0016_lighter_writes';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * The one ordered sequence of migrations. Listed in code (not read from a folder) so the bundled
 * desktop app and the tests run exactly the same list.
 */
export const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['0001_foundation', m0001],
  ['0002_ledger', m0002],
  ['0003_accounting', m0003],
  ['0004_manual_transactions', m0004],
  ['0005_ledger_batch', m0005],
  ['0006_module_integration', m0006],
  ['0007_customers', m0007],
  ['0008_documents', m0008],
  ['0009_governance', m0009],
  ['0010_deposits', m0010],
  ['0011_tills', m0011],
  ['0012_teller_journal', m0012],
  ['0013_cash_controls', m0013],
  ['0014_staff_events', m0014],
  ['0015_ledger_free_shard', m0015],
  ['0016_lighter_writes', m0016],
];
