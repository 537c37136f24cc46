import type { cashControlProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function cashControlHandlers(s: Services): HandlersFor<keyof typeof cashControlProcedures> {
  const c = s.cashControls;
  const filter = (input: { from?: string; to?: string; kind?: 'ctr' | 'structuring' }) => ({
    from: input.from,
    to: input.to,
    kind: input.kind,
  });
  return {
    'cashControls.limits.get': () => c.limits(),
    'cashControls.limits.setRole': (scope, input) => c.setRoleLimit(scope, input.role, input.limit),
    'cashControls.limits.setTill': (scope, input) => c.setTillMaximum(scope, input.tillId, input.maximum),
    'cashControls.limits.setLargeCash': (scope, input) => c.setLargeCash(scope, input),
    'cashControls.overrides.request': (scope, input) => c.requestOverride(scope, input),
    'cashControls.overrides.get': (ctx, input) => c.request(ctx, input.id),
    'cashControls.overrides.pending': () => c.pending(),
    'cashControls.overrides.decide': (scope, input) => c.decide(scope, input),
    'cashControls.reports.list': (_ctx, input) =>
      c.reports(filter(input), { offset: input.offset, limit: input.limit }),
    'cashControls.reports.csv': (_ctx, input) => c.reportsCsv(filter(input)),
  };
}
