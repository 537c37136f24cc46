import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertProspect } from '../fixtures/customers';
import { csv, elf, exe, pdf, png, sha256 } from '../fixtures/document-files';
import {
  ADMIN,
  cmd,
  dbLabel,
  onServer,
  signIn,
  startTestBank,
  userWithRoles,
  type TestClient,
} from './harness';
import { auditAfter, changesSince, lastAuditId, snapshot } from './support';

const MiB = 1024 * 1024;

/** Begin, send every chunk, commit: what the renderer does. */
async function upload(
  client: TestClient,
  holderId: string,
  fileName: string,
  bytes: Buffer,
  opts: { retryOf?: string; commandId?: string } = {},
) {
  const begun = await client.call('documents.upload.begin', {
    commandId: cmd(),
    holderId,
    fileName,
    size: bytes.length,
    sha256: sha256(bytes),
  });
  for (let i = 0; i < begun.chunkCount; i++) {
    const data = bytes.subarray(i * begun.chunkBytes, (i + 1) * begun.chunkBytes).toString('base64');
    await client.call('documents.upload.chunk', { uploadId: begun.uploadId, index: i, data });
  }
  const commandId = opts.commandId ?? cmd();
  return {
    begun,
    commandId,
    doc: await client.call('documents.upload.commit', {
      commandId,
      uploadId: begun.uploadId,
      ...(opts.retryOf ? { retryOf: opts.retryOf } : {}),
    }),
  };
}

async function downloadAll(
  client: TestClient,
  documentId: string,
  purpose: 'download' | 'preview' = 'download',
) {
  const link = await client.call('documents.download', { commandId: cmd(), documentId, purpose });
  const parts: Buffer[] = [];
  for (let i = 0; i < link.chunkCount; i++) {
    parts.push(
      Buffer.from(
        (await client.call('documents.downloadChunk', { token: link.token, index: i })).data,
        'base64',
      ),
    );
  }
  return { link, bytes: Buffer.concat(parts) };
}

describe(`customer documents (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: bea } = await userWithRoles(bank, admin, 'bea', ['back_office']);
  const { client: bruno } = await userWithRoles(bank, admin, 'bruno', ['back_office']);
  const tinaUser = await userWithRoles(bank, admin, 'tina', ['teller']);
  const { client: tina } = tinaUser;
  // Tests move the clock by minutes and days: keep the sessions from locking for idleness meanwhile.
  await admin.call('bank.settings.update', { commandId: cmd(), idleLockMinutes: 240 });
  const holder = await insertProspect(db, { fullName: 'Ana Prospect' });

  it('attaches a PDF and a PNG, lists them newest first and gives back the very bytes', async () => {
    const passport = pdf('Passport of Ana');
    const first = await upload(bea, holder, '  Passport scan (2026).pdf ', passport);
    expect(first.doc).toMatchObject({
      status: 'active',
      holderId: holder,
      originalName: 'Passport scan (2026).pdf',
      sanitizedName: 'Passport-scan--2026--pdf',
      contentType: 'application/pdf',
      size: passport.length,
      sha256: sha256(passport),
      failure: null,
      uploadedBy: 'bea',
    });
    const key = await db('customer_documents').where({ id: first.doc.id }).first('object_key');
    expect(key.object_key).toBe(`documents/customer_document/${first.doc.id}.pdf`);

    bank.clock.advance(60_000);
    const photo = png();
    const second = await upload(bea, holder, 'selfie.png', photo);
    expect(second.doc).toMatchObject({ status: 'active', contentType: 'image/png' });
    // Any type but PDF and CSV: no extension on the storage key (DOMAIN 3).
    const key2 = await db('customer_documents').where({ id: second.doc.id }).first('object_key');
    expect(key2.object_key).toBe(`documents/customer_document/${second.doc.id}`);

    const listed = await tina.call('documents.list', { holderId: holder });
    expect(listed.map((d) => d.originalName)).toEqual(['selfie.png', 'Passport scan (2026).pdf']);

    const before = await lastAuditId(bank);
    const { link, bytes } = await downloadAll(bea, first.doc.id);
    expect(bytes.equals(passport)).toBe(true);
    expect(link).toMatchObject({ contentType: 'application/pdf', fileName: 'Passport-scan--2026-.pdf' });
    const audit = await auditAfter(bank, before);
    expect(audit).toMatchObject([
      {
        action: 'documents.download',
        outcome: 'Success',
        object_type: 'customer_document',
        object_ids: [first.doc.id],
        metadata: { event: 'DownloadLinkGenerated', holderId: holder },
      },
    ]);
    // The preview reads the same way and is recorded as a view.
    const preview = await downloadAll(bea, second.doc.id, 'preview');
    expect(preview.bytes.equals(photo)).toBe(true);
    expect((await auditAfter(bank, before)).at(-1)?.metadata).toMatchObject({ event: 'DocumentViewed' });
  });

  it('a commit retried with its command id answers the first result and stores nothing twice', async () => {
    const bytes = pdf('Utility bill');
    const { doc, commandId, begun } = await upload(bea, holder, 'bill.pdf', bytes);
    const again = await bea.call('documents.upload.commit', { commandId, uploadId: begun.uploadId });
    expect(again).toEqual(doc);
    const rows = await db('customer_documents').where({ holder_id: holder, sha256: sha256(bytes) });
    expect(rows).toHaveLength(1);
  });

  it('offers the same content for the same holder as already attached, naming the document', async () => {
    const bytes = pdf('Payslip');
    const { doc } = await upload(bea, holder, 'payslip.pdf', bytes);
    const err = await bea.fail('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'payslip copy.pdf',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    expect(err).toMatchObject({
      code: 'DOCUMENT_ALREADY_ATTACHED',
      params: { documentId: doc.id, fileName: 'payslip.pdf' },
    });
    // Another holder may have the same file.
    const other = await insertProspect(db);
    expect((await upload(bea, other, 'payslip.pdf', bytes)).doc.status).toBe('active');
  });

  it('refuses a zero-byte file, a file over the limit and bad names: translated errors, nothing written', async () => {
    const refusals: [string, number, string, Record<string, unknown>][] = [
      ['empty.pdf', 0, 'DOCUMENT_EMPTY', {}],
      ['huge.pdf', 25 * MiB + 1, 'DOCUMENT_TOO_LARGE', { limitMb: 25 }],
      ['../etc/passwd.pdf', 10, 'DOCUMENT_NAME_INVALID', { problem: 'separator' }],
      ['..pdf', 10, 'DOCUMENT_NAME_INVALID', { problem: 'dotDot' }],
      ['folder\\file.pdf', 10, 'DOCUMENT_NAME_INVALID', { problem: 'separator' }],
      ['bell\u0007.pdf', 10, 'DOCUMENT_NAME_INVALID', { problem: 'control' }],
      ['line\nbreak.pdf', 10, 'DOCUMENT_NAME_INVALID', { problem: 'control' }],
      [`${'a'.repeat(300)}.pdf`, 10, 'DOCUMENT_NAME_INVALID', { problem: 'tooLong' }],
      ['invoice\u202Efdp.exe', 10, 'DOCUMENT_NAME_INVALID', { problem: 'bidi' }],
      ['report\u2067x.pdf', 10, 'DOCUMENT_NAME_INVALID', { problem: 'bidi' }],
      ['   ', 10, 'DOCUMENT_NAME_INVALID', { problem: 'empty' }],
    ];
    for (const [fileName, size, code, params] of refusals) {
      const before = await snapshot(bank);
      const err = await bea.fail('documents.upload.begin', {
        commandId: cmd(),
        holderId: holder,
        fileName,
        size,
        sha256: sha256(randomBytes(8)),
      });
      expect(err, fileName).toMatchObject({ code, messageKey: `errors.${code}`, params });
      const { changedTables, audit } = await changesSince(bank, before);
      expect(changedTables, fileName).toEqual([]);
      expect(audit, fileName).toMatchObject([{ action: 'documents.upload.begin', outcome: 'Failure' }]);
    }
  });

  it('an executable named .pdf (ELF or MZ) leaves exactly one failed record and no bytes; a retry fixes it', async () => {
    for (const [name, bytes] of [
      ['statement.pdf', elf()],
      ['contract.pdf', exe()],
    ] as const) {
      const begun = await bea.call('documents.upload.begin', {
        commandId: cmd(),
        holderId: holder,
        fileName: name,
        size: bytes.length,
        sha256: sha256(bytes),
      });
      await bea.call('documents.upload.chunk', {
        uploadId: begun.uploadId,
        index: 0,
        data: bytes.toString('base64'),
      });
      const before = await snapshot(bank);
      const failed = await bea.call('documents.upload.commit', {
        commandId: cmd(),
        uploadId: begun.uploadId,
      });
      expect(failed).toMatchObject({
        status: 'failed',
        originalName: name,
        contentType: name === 'statement.pdf' ? 'application/x-elf' : 'application/x-msdownload',
        failure: { code: 'DOCUMENT_TYPE_NOT_ALLOWED' },
      });
      // What changed: the failed record (customer_documents), the staged upload and its parts
      // dropped (customer_document_uploads, customer_document_chunks), the command's log row.
      const { changedTables } = await changesSince(bank, before);
      expect(changedTables).toEqual([
        'command_log',
        'customer_document_chunks',
        'customer_document_uploads',
        'customer_documents',
      ]);
      // No byte of it is kept anywhere in storage.
      expect(await db('customer_document_chunks').where('object_key', 'like', `%${failed.id}%`)).toEqual([]);
      expect(await db('customer_document_chunks').where('object_key', 'like', `%${begun.uploadId}%`)).toEqual(
        [],
      );
      const audit = await auditAfter(bank, before.lastAuditId);
      expect(audit).toMatchObject([
        { action: 'documents.upload.commit', outcome: 'Success', metadata: { event: 'UploadFailed' } },
      ]);
    }
    const failedDoc = (await bea.call('documents.list', { holderId: holder })).find(
      (d) => d.originalName === 'statement.pdf',
    )!;
    expect(failedDoc.status).toBe('failed');
    const real = pdf('The real statement');
    const retried = await upload(bea, holder, 'statement.pdf', real, { retryOf: failedDoc.id });
    expect(retried.doc).toMatchObject({
      id: failedDoc.id,
      status: 'active',
      failure: null,
      contentType: 'application/pdf',
    });
    expect((await downloadAll(bea, failedDoc.id)).bytes.equals(real)).toBe(true);
    // Only a failed document can be retried.
    const again = await bea.call('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'x.pdf',
      size: 5,
      sha256: sha256(Buffer.from('%PDF-')),
    });
    await bea.call('documents.upload.chunk', {
      uploadId: again.uploadId,
      index: 0,
      data: Buffer.from('%PDF-').toString('base64'),
    });
    const notFailed = await bea.fail('documents.upload.commit', {
      commandId: cmd(),
      uploadId: again.uploadId,
      retryOf: failedDoc.id,
    });
    expect(notFailed).toMatchObject({ code: 'DOCUMENT_STATUS', params: { status: 'active' } });
    await bea.call('documents.upload.abort', { uploadId: again.uploadId });
  });

  it('CSV: accepted only as UTF-8 text named .csv; other text or a NUL byte fails', async () => {
    expect((await upload(bea, holder, 'movements.csv', csv())).doc).toMatchObject({
      status: 'active',
      contentType: 'text/csv',
    });
    const key = await db('customer_documents')
      .where({ original_name: 'movements.csv' })
      .first('id', 'object_key');
    expect(key.object_key).toBe(`documents/customer_document/${key.id}.csv`);
    expect((await upload(bea, holder, 'notes.txt', Buffer.from('plain text\n'))).doc).toMatchObject({
      status: 'failed',
      failure: { code: 'DOCUMENT_TYPE_NOT_ALLOWED', params: { detected: 'application/octet-stream' } },
    });
    expect((await upload(bea, holder, 'binary.csv', Buffer.from('a,b\n1,\0\n'))).doc.status).toBe('failed');
    expect((await upload(bea, holder, 'latin1.csv', Buffer.from([0x61, 0x2c, 0xe9, 0x0a]))).doc.status).toBe(
      'failed',
    );
  });

  it('allowed types and the size limit are bank settings', async () => {
    await admin.call('documents.settings.update', {
      commandId: cmd(),
      maxFileMb: 1,
      allowedTypes: ['application/pdf'],
    });
    expect(await bea.call('documents.settings.get', {})).toMatchObject({
      maxFileBytes: MiB,
      allowedTypes: ['application/pdf'],
    });
    const tooBig = await bea.fail('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'big.pdf',
      size: MiB + 1,
      sha256: sha256(randomBytes(4)),
    });
    expect(tooBig).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', params: { limitMb: 1 } });
    expect((await upload(bea, holder, 'photo.png', png(8, 8))).doc).toMatchObject({
      status: 'failed',
      failure: { code: 'DOCUMENT_TYPE_NOT_ALLOWED', params: { detected: 'image/png' } },
    });
    expect(
      (
        await bea.fail('documents.settings.update', {
          commandId: cmd(),
          maxFileMb: 5,
          allowedTypes: ['text/csv'],
        })
      ).code,
    ).toBe('FORBIDDEN');
    await admin.call('documents.settings.update', {
      commandId: cmd(),
      maxFileMb: 25,
      allowedTypes: [
        'application/pdf',
        'image/png',
        'image/jpeg',
        'image/tiff',
        'image/heic',
        'image/webp',
        'text/csv',
      ],
    });
  });

  it('archive keeps the bytes; delete needs the permission and a reason, removes the bytes and soft-deletes', async () => {
    const bytes = pdf('Old lease');
    const { doc } = await upload(bea, holder, 'lease.pdf', bytes);
    expect((await tina.fail('documents.archive', { commandId: cmd(), documentId: doc.id })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await tina.fail('documents.download', { commandId: cmd(), documentId: doc.id, purpose: 'download' }))
        .code,
    ).toBe('FORBIDDEN');
    const archived = await bea.call('documents.archive', { commandId: cmd(), documentId: doc.id });
    expect(archived.status).toBe('archived');
    expect((await downloadAll(bea, doc.id)).bytes.equals(bytes)).toBe(true);
    expect((await bea.fail('documents.archive', { commandId: cmd(), documentId: doc.id })).code).toBe(
      'DOCUMENT_STATUS',
    );

    const noReason = await bea.fail('documents.delete', {
      commandId: cmd(),
      documentId: doc.id,
      reason: '  ',
    });
    expect(noReason.code).toBe('VALIDATION_FAILED');
    const link = await bea.call('documents.download', {
      commandId: cmd(),
      documentId: doc.id,
      purpose: 'download',
    });
    const deleted = await bea.call('documents.delete', {
      commandId: cmd(),
      documentId: doc.id,
      reason: 'Superseded',
    });
    expect(deleted).toMatchObject({ status: 'deleted', deleteReason: 'Superseded' });
    const key = `documents/customer_document/${doc.id}.pdf`;
    expect(await db('customer_document_chunks').where({ object_key: key })).toEqual([]);
    expect((await bea.call('documents.list', { holderId: holder })).some((d) => d.id === doc.id)).toBe(false);
    expect((await bea.fail('documents.downloadChunk', { token: link.token, index: 0 })).code).toBe(
      'DOCUMENT_STATUS',
    );
    // The same content may now be attached again.
    expect((await upload(bea, holder, 'lease.pdf', bytes)).doc.status).toBe('active');
  });

  it('a download token is the caller’s own and lives five minutes', async () => {
    const { doc } = await upload(bea, holder, 'id-card.pdf', pdf('ID card'));
    const link = await bea.call('documents.download', {
      commandId: cmd(),
      documentId: doc.id,
      purpose: 'download',
    });
    expect((await bruno.fail('documents.downloadChunk', { token: link.token, index: 0 })).code).toBe(
      'DOCUMENT_LINK_INVALID',
    );
    const forged = link.token.slice(0, -2) + (link.token.endsWith('AA') ? 'BB' : 'AA');
    expect((await bea.fail('documents.downloadChunk', { token: forged, index: 0 })).code).toBe(
      'DOCUMENT_LINK_INVALID',
    );
    bank.clock.advance(5 * 60_000 + 1);
    expect((await bea.fail('documents.downloadChunk', { token: link.token, index: 0 })).code).toBe(
      'DOCUMENT_LINK_INVALID',
    );
  });

  it('parts sent out of order or twice are verified from storage at the commit', async () => {
    const bytes = pdf('Three parts', 2 * MiB + 10);
    const begun = await bea.call('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'three.pdf',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    const part = (i: number) => bytes.subarray(i * MiB, (i + 1) * MiB).toString('base64');
    for (const i of [2, 0, 1, 1])
      await bea.call('documents.upload.chunk', { uploadId: begun.uploadId, index: i, data: part(i) });
    const doc = await bea.call('documents.upload.commit', { commandId: cmd(), uploadId: begun.uploadId });
    expect(doc).toMatchObject({ status: 'active', sha256: sha256(bytes) });
    expect((await downloadAll(bea, doc.id)).bytes.equals(bytes)).toBe(true);
    // The storage interface's own stream read gives the same bytes.
    const streamed: Buffer[] = [];
    for await (const chunk of bank.services.documents.read(`documents/customer_document/${doc.id}.pdf`))
      streamed.push(chunk);
    expect(Buffer.concat(streamed).equals(bytes)).toBe(true);
  });

  it('parts sent several at once, or far out of order, make the same document', async () => {
    for (const order of [
      [0, 1, 2, 3, 4, 5, 6, 7],
      [7, 6, 5, 4, 3, 2, 1, 0],
    ]) {
      const bytes = pdf(`Eight parts ${order[0]}`, 7 * MiB + 100);
      const begun = await bea.call('documents.upload.begin', {
        commandId: cmd(),
        holderId: holder,
        fileName: 'eight.pdf',
        size: bytes.length,
        sha256: sha256(bytes),
      });
      await Promise.all(
        order.map((i) =>
          bea.call('documents.upload.chunk', {
            uploadId: begun.uploadId,
            index: i,
            data: bytes.subarray(i * MiB, (i + 1) * MiB).toString('base64'),
          }),
        ),
      );
      const doc = await bea.call('documents.upload.commit', { commandId: cmd(), uploadId: begun.uploadId });
      expect(doc).toMatchObject({ status: 'active', sha256: sha256(bytes), size: bytes.length });
      expect((await downloadAll(bea, doc.id)).bytes.equals(bytes)).toBe(true);
    }
  });

  it('staged uploads: only their uploader may add to them; incomplete commits are refused; abort and age clean them', async () => {
    const bytes = pdf('Two chunks', MiB);
    const begun = await bea.call('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'two.pdf',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    expect(begun.chunkCount).toBe(2);
    const first = bytes.subarray(0, MiB).toString('base64');
    expect(
      (await bruno.fail('documents.upload.chunk', { uploadId: begun.uploadId, index: 0, data: first })).code,
    ).toBe('DOCUMENT_UPLOAD_UNKNOWN');
    const short = await bea.fail('documents.upload.chunk', {
      uploadId: begun.uploadId,
      index: 0,
      data: 'AAAA',
    });
    expect(short).toMatchObject({ code: 'VALIDATION_FAILED', params: { issue: 'chunk_size' } });
    await bea.call('documents.upload.chunk', { uploadId: begun.uploadId, index: 0, data: first });
    const incomplete = await bea.fail('documents.upload.commit', {
      commandId: cmd(),
      uploadId: begun.uploadId,
    });
    expect(incomplete).toMatchObject({
      code: 'DOCUMENT_UPLOAD_INCOMPLETE',
      params: { received: 1, expected: 2 },
    });
    expect(
      (await bruno.fail('documents.upload.commit', { commandId: cmd(), uploadId: begun.uploadId })).code,
    ).toBe('DOCUMENT_UPLOAD_UNKNOWN');
    // Wrong bytes in the right sizes: the declared SHA-256 does not match, the upload fails.
    await bea.call('documents.upload.chunk', {
      uploadId: begun.uploadId,
      index: 1,
      data: Buffer.alloc(bytes.length - MiB, 1).toString('base64'),
    });
    const mismatch = await bea.call('documents.upload.commit', {
      commandId: cmd(),
      uploadId: begun.uploadId,
    });
    expect(mismatch).toMatchObject({ status: 'failed', failure: { code: 'DOCUMENT_CONTENT_MISMATCH' } });
    expect(await db('customer_document_chunks').where('object_key', 'like', `%${mismatch.id}%`)).toEqual([]);

    const aborted = await bea.call('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'gone.pdf',
      size: 10,
      sha256: sha256(randomBytes(4)),
    });
    await bea.call('documents.upload.abort', { uploadId: aborted.uploadId });
    expect(await db('customer_document_uploads').where({ id: aborted.uploadId })).toEqual([]);

    const forgotten = await bea.call('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'forgotten.pdf',
      size: 10,
      sha256: sha256(randomBytes(4)),
    });
    await bea.call('documents.upload.chunk', {
      uploadId: forgotten.uploadId,
      index: 0,
      data: Buffer.alloc(10).toString('base64'),
    });
    bank.clock.advance(25 * 60 * 60_000);
    // A day later every session has locked: a colleague signs in afresh.
    const beaPassword = 'Personal-Pass-2026!';
    const later = await signIn(bank, 'bea', beaPassword);
    await later.call('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'later.pdf',
      size: 10,
      sha256: sha256(randomBytes(4)),
    });
    expect(await db('customer_document_uploads').where({ id: forgotten.uploadId })).toEqual([]);
    expect(
      await db('customer_document_chunks').where('object_key', 'like', `%${forgotten.uploadId}`),
    ).toEqual([]);
  });

  it('a teller sees documents but may not attach, download or delete', async () => {
    const tina = await signIn(bank, 'tina', tinaUser.password);
    expect((await tina.call('documents.list', { holderId: holder })).length).toBeGreaterThan(0);
    const err = await tina.fail('documents.upload.begin', {
      commandId: cmd(),
      holderId: holder,
      fileName: 'x.pdf',
      size: 10,
      sha256: sha256(randomBytes(4)),
    });
    expect(err.code).toBe('FORBIDDEN');
  });

  it.runIf(onServer)(
    'a 50 MB file round-trips in chunks no larger than 1 MiB with an equal hash',
    { timeout: 120_000 },
    async () => {
      const admin = await signIn(bank, ADMIN.username, ADMIN.password);
      const bea = await signIn(bank, 'bea', 'Personal-Pass-2026!');
      await admin.call('documents.settings.update', {
        commandId: cmd(),
        maxFileMb: 60,
        allowedTypes: ['application/pdf'],
      });
      const big = pdf('Fifty megabytes', 50 * 1000 * 1000);
      const { doc } = await upload(bea, holder, 'annual-report.pdf', big);
      expect(doc).toMatchObject({ status: 'active', size: big.length });
      const rows = await db('customer_document_chunks')
        .where({ object_key: `documents/customer_document/${doc.id}.pdf` })
        .select(db.raw('count(*)::int as n'), db.raw('max(octet_length(data))::int as largest'));
      expect(rows[0]).toEqual({ n: Math.ceil(big.length / MiB), largest: MiB });
      const { bytes } = await downloadAll(bea, doc.id);
      expect(sha256(bytes)).toBe(sha256(big));
    },
  );
});
