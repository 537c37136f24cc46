export { createTellerJournalService } from './service';
export type { TellerJournalService, JournalEntryInput } from './service';
