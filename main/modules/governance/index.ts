export { createGovernanceService } from './service';
export type {
  ApprovalsChanged,
  ConcludedProcess,
  ConclusionHandler,
  GovernanceService,
  VoteGuard,
  QueuedVote,
  StartProcessInput,
} from './service';
export { BANK_EVENTS_CHANNEL } from './repo';
export { PROCESS_TYPES, type ProcessType } from './rules';
