import { z } from 'zod';

// Customer documents: chunked upload, list, preview, download, archive, delete (DOMAIN 3).

export const documentProcedures = {} as const satisfies Record<string, unknown>;

void z;
