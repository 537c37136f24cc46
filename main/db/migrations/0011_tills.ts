import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Branches, vaults and tills as ledger accounts; denominations; opening and closing the day (issue 6).

export const up = (knex: Knex) => runStatements(knex, []);

export const down = (knex: Knex) => runStatements(knex, []);
