export { createCustomerService } from './service';
export type { CustomerService } from './service';
