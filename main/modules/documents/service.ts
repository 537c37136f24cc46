import type { Db } from '../../db';

export type DocumentService = ReturnType<typeof createDocumentService>;

export function createDocumentService(knex: Db) {
  void knex;
  return {};
}
