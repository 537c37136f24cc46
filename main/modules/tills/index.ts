export { createTillService } from './service';
export type { TillService } from './service';
