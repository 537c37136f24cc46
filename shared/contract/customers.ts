import { z } from 'zod';

// Prospects, KYC at the desk, customers, customer search (DOMAIN 2). Owned by the customers module.

export const customerProcedures = {} as const satisfies Record<string, unknown>;

void z;
