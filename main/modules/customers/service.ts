import type { Db } from '../../db';

export type CustomerService = ReturnType<typeof createCustomerService>;

export function createCustomerService(knex: Db) {
  void knex;
  return {};
}
