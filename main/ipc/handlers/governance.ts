import type { governanceProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function governanceHandlers(s: Services): HandlersFor<keyof typeof governanceProcedures> {
  return {
    'governance.committees.list': () => s.governance.committees(),
    'governance.committees.create': (scope, input) => s.governance.createCommittee(scope, input.name),
    'governance.committees.addMember': (scope, input) =>
      s.governance.addMember(scope, input.committeeId, input.userId),
    'governance.committees.removeMember': (scope, input) =>
      s.governance.removeMember(scope, input.committeeId, input.userId),
    'governance.policies.list': () => s.governance.policies(),
    'governance.policies.set': (scope, input) => s.governance.setPolicy(scope, input),
    'governance.policies.preview': (_ctx, input) => s.governance.preview(input),
    'governance.processes.list': (ctx, input) => s.governance.listProcesses(ctx, input),
    'governance.processes.get': (ctx, input) => s.governance.process(ctx, input.id),
    'governance.inbox': (ctx, input) => s.governance.inbox(ctx, input),
    'governance.processes.approve': (scope, input) => s.governance.approve(scope, input.processId),
    'governance.processes.deny': (scope, input) => s.governance.deny(scope, input.processId, input.reason),
  };
}
