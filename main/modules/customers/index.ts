export { createCustomerService, KYC_PROVIDER_ACTOR } from './service';
export type { CustomerService, ProspectInput } from './service';
export { CLOSING_CHECKS, searchPlan } from './rules';
export { parseKycCallback, callbackCommandId } from './kyc-provider';
