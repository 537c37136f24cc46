import { z } from 'zod';
import { command, isoDate, query, requiredText, text, uuid } from './procedure';

// Prospects, KYC at the desk, customers, customer search (DOMAIN 2). Owned by the customers module.

export const CUSTOMER_TYPES = [
  'individual',
  'government-entity',
  'private-company',
  'bank',
  'financial-institution',
  'foreign-agency-or-subsidiary',
  'non-domiciled-company',
] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const PROSPECT_STAGES = [
  'new',
  'kyc_started',
  'kyc_pending',
  'kyc_declined',
  'converted',
  'closed',
] as const;
export type ProspectStage = (typeof PROSPECT_STAGES)[number];

export const KYC_STATUSES = ['not_started', 'pending', 'verified', 'rejected'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

export const CUSTOMER_STATUSES = ['active', 'frozen', 'closed'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

export const ID_DOCUMENT_TYPES = [
  'passport',
  'national_id',
  'driving_license',
  'residence_permit',
  'company_registration',
  'tax_id',
  'other',
] as const;

/** Reasons a verifying officer may give for a declined verification. */
export const KYC_DECLINE_REASONS = [
  'document_unreadable',
  'document_expired',
  'document_mismatch',
  'identity_not_confirmed',
  'sanctions_or_pep',
  'incomplete_information',
  'other',
] as const;

export const prospectInput = {
  customerType: z.enum(CUSTOMER_TYPES),
  email: z.email().max(254),
  telegramId: z
    .string()
    .trim()
    .regex(/^@?[A-Za-z0-9_]{3,64}$/)
    .optional(),
  fullName: requiredText(200),
  bornOrRegisteredOn: isoDate,
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()./-]{5,30}$/),
  address: requiredText(500),
  idDocumentType: z.enum(ID_DOCUMENT_TYPES),
  idDocumentNumber: requiredText(64),
};

export const customerHistoryItemDto = z.object({
  id: z.string(),
  occurredAt: z.string(),
  action: z.string(),
  outcome: z.enum(['Success', 'Failure', 'Denied']),
  actorUsername: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
});
export type CustomerHistoryItemDto = z.infer<typeof customerHistoryItemDto>;

export const kycReviewDto = z.object({
  id: z.string(),
  source: z.enum(['desk', 'provider']),
  outcome: z.enum(['approved', 'declined']),
  reasons: z.array(z.string()),
  comment: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string(),
});

export const prospectSummaryDto = z.object({
  id: z.string(),
  publicId: z.string(),
  customerType: z.enum(CUSTOMER_TYPES),
  email: z.string(),
  fullName: z.string(),
  stage: z.enum(PROSPECT_STAGES),
  kycStatus: z.enum(KYC_STATUSES),
  createdAt: z.string(),
});
export type ProspectSummaryDto = z.infer<typeof prospectSummaryDto>;

export const prospectDto = prospectSummaryDto.extend({
  telegramId: z.string().nullable(),
  bornOrRegisteredOn: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  idDocumentType: z.string().nullable(),
  idDocumentNumber: z.string().nullable(),
  kycLevel: z.enum(['none', 'basic']),
  kycApplicantId: z.string().nullable(),
  closeReason: z.string().nullable(),
  /** The customer's public id once converted. */
  customerPublicId: z.string().nullable(),
  activeDocuments: z.number().int(),
  reviews: z.array(kycReviewDto),
  history: z.array(customerHistoryItemDto),
});
export type ProspectDto = z.infer<typeof prospectDto>;

export const closingCheckDto = z.object({ name: z.string(), ok: z.boolean(), blocking: z.number().int() });

export const customerDto = prospectDto.extend({
  customerPublicId: z.string(),
  status: z.enum(CUSTOMER_STATUSES),
  statusReason: z.string().nullable(),
  convertedWith: z.enum(['kyc', 'manual']),
  conversionReason: z.string().nullable(),
  convertedAt: z.string(),
  depositAccountRequestedAt: z.string().nullable(),
  closingChecks: z.array(closingCheckDto),
  /** The language of the customer's receipts; null: the bank's default (the teller's language). */
  preferredLanguage: z.enum(['en', 'es']).nullable(),
});
export type CustomerDto = z.infer<typeof customerDto>;

export const customerHitDto = z.object({
  id: z.string(),
  publicId: z.string(),
  fullName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  customerType: z.enum(CUSTOMER_TYPES),
  status: z.enum(CUSTOMER_STATUSES),
  kycStatus: z.enum(KYC_STATUSES),
  /** What matched: name, email, phone, publicId or idDocument. */
  matched: z.enum(['name', 'email', 'phone', 'publicId', 'idDocument']),
});
export type CustomerHitDto = z.infer<typeof customerHitDto>;

const byId = { id: uuid };
const reason = requiredText(500);

export const customerProcedures = {
  'prospect.list': query({
    access: 'customer.read',
    input: z.strictObject({
      stage: z.enum(PROSPECT_STAGES).optional(),
      search: text(120).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.array(prospectSummaryDto),
  }),
  'prospect.get': query({ access: 'customer.read', input: z.strictObject(byId), output: prospectDto }),
  'prospect.create': command({ access: 'customer.manage', input: prospectInput, output: prospectDto }),
  /** New → KycStarted, or KycDeclined → KycStarted (a new attempt). */
  'prospect.startKyc': command({ access: 'customer.manage', input: byId, output: prospectDto }),
  /** KycStarted → KycPending: the documents are collected, awaiting the verifying officer. */
  'prospect.submitKyc': command({ access: 'customer.manage', input: byId, output: prospectDto }),
  /** The verifying officer's decision at the desk. */
  'prospect.recordKyc': command({
    access: 'customer.kyc',
    input: {
      id: uuid,
      outcome: z.enum(['approved', 'declined']),
      reasons: z.array(z.enum(KYC_DECLINE_REASONS)).max(10).default([]),
      comment: text(1000).optional(),
    },
    output: prospectDto,
  }),
  /** Conversion of a verified prospect. */
  'prospect.convert': command({ access: 'customer.manage', input: byId, output: customerDto }),
  /** Conversion without (or before) verification: privileged, with a reason. */
  'prospect.convertWithoutKyc': command({
    access: 'customer.convertWithoutKyc',
    input: { id: uuid, reason },
    output: customerDto,
  }),
  'prospect.close': command({ access: 'customer.manage', input: { id: uuid, reason }, output: prospectDto }),
  'customer.search': query({
    access: 'customer.read',
    input: z.strictObject({
      query: z.string().trim().min(2).max(120),
      limit: z.number().int().min(1).max(50).default(20),
    }),
    output: z.array(customerHitDto),
  }),
  'customer.get': query({ access: 'customer.read', input: z.strictObject(byId), output: customerDto }),
  'customer.freeze': command({ access: 'customer.manage', input: { id: uuid, reason }, output: customerDto }),
  'customer.unfreeze': command({ access: 'customer.manage', input: byId, output: customerDto }),
  'customer.setLanguage': command({
    access: 'customer.manage',
    input: { id: uuid, preferredLanguage: z.enum(['en', 'es']).nullable() },
    output: customerDto,
  }),
  'customer.close': command({ access: 'customer.manage', input: { id: uuid, reason }, output: customerDto }),
} as const;
