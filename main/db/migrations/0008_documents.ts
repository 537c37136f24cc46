import type { Knex } from 'knex';
import { runStatements } from '../sql';

// Customer documents (DOMAIN 3). (Skeleton; the documents module owns it.)

export const up = (knex: Knex) => runStatements(knex, []);

export const down = (knex: Knex) => runStatements(knex, []);
