import type { Knex } from 'knex';
import { runStatements } from '../sql';

export const up = (knex: Knex) => runStatements(knex, []);

export const down = (knex: Knex) => runStatements(knex, []);
