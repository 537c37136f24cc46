import type { Knex } from 'knex';
import { runStatements } from '../sql';

// The electronic journal of teller work (append-only, hash-chained) and receipts (issue 6).

export const up = (knex: Knex) => runStatements(knex, []);

export const down = (knex: Knex) => runStatements(knex, []);
