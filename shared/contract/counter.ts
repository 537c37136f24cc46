import { z } from 'zod';
import { requiredText, text, uuid } from './procedure';

// What the teller adds at the counter to a deposit or withdrawal step (issue 6): the till the cash
// goes into or comes out of, its denominations, a supervisor's override, the conductor's details.
// Back-office movements leave it out and post against the deposit omnibus as before.

/** How many notes or coins of one face value (in minor units) were counted. */
export const denominationCount = z.strictObject({
  value: z.string().regex(/^\d{1,15}$/),
  count: z.number().int().min(-1_000_000).max(1_000_000),
});
export type DenominationCount = z.infer<typeof denominationCount>;

/**
 * A supervisor's override of a limit: given at the teller's workstation with the supervisor's own
 * credentials and a reason, or approved earlier from the supervisor's workstation (overrideId).
 * One object rather than a union so that every field stays visible to the contract's checks; which
 * combination is complete is a rule of the cash-controls module.
 */
export const supervisorOverride = z.strictObject({
  overrideId: uuid.optional(),
  username: z.string().trim().max(100).optional(),
  password: z.string().max(1_000).optional(),
  reason: text(500).optional(),
});
export type SupervisorOverride = z.infer<typeof supervisorOverride>;

/** Who physically brings or takes the cash (for a currency transaction report). */
export const conductor = z.strictObject({
  name: requiredText(200),
  idDocument: text(100).optional(),
  relationship: text(100).optional(),
});

export const counterInput = z.strictObject({
  tillId: uuid.optional(),
  denominations: z.array(denominationCount).max(60).optional(),
  override: supervisorOverride.optional(),
  conductor: conductor.optional(),
});
export type CounterInput = z.infer<typeof counterInput>;
