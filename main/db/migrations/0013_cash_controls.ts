import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Cash limits, supervisor overrides and large-cash alerts (issue 6).

export const up = (knex: Knex) => runStatements(knex, []);

export const down = (knex: Knex) => runStatements(knex, []);
