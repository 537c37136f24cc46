import type { customerProcedures } from '../../../shared/contract';
import type { Services } from '../../services';
import type { HandlersFor } from '../handlers';

export function customerHandlers(s: Services): HandlersFor<keyof typeof customerProcedures> {
  const c = s.customers;
  return {
    'prospect.list': (_ctx, input) => c.listProspects(input),
    'prospect.get': (_ctx, input) => c.getProspect(input.id),
    'prospect.create': (scope, input) => c.createProspect(scope, input),
    'prospect.startKyc': (scope, input) => c.startKyc(scope, input.id),
    'prospect.submitKyc': (scope, input) => c.submitKyc(scope, input.id),
    'prospect.recordKyc': (scope, input) => c.recordKyc(scope, input),
    'prospect.convert': (scope, input) => c.convert(scope, input.id),
    'prospect.convertWithoutKyc': (scope, input) => c.convertWithoutKyc(scope, input.id, input.reason),
    'prospect.close': (scope, input) => c.closeProspect(scope, input.id, input.reason),
    'customer.search': (_ctx, input) => c.search(input.query, input.limit),
    'customer.get': (_ctx, input) => c.getCustomer(input.id),
    'customer.freeze': (scope, input) => c.freeze(scope, input.id, input.reason),
    'customer.unfreeze': (scope, input) => c.unfreeze(scope, input.id),
    'customer.setLanguage': (scope, input) => c.setLanguage(scope, input.id, input.preferredLanguage),
    'customer.close': (scope, input) => c.close(scope, input.id, input.reason),
  };
}
