import type { TFunction } from 'i18next';
import type { ErrorPayload } from '@shared/errors';

/** One translated sentence for any error payload the main process sends. */
export function describeError(t: TFunction, e: ErrorPayload): string {
  const params: Record<string, unknown> = { ...e.params };
  for (const [k, v] of Object.entries(params)) if (Array.isArray(v)) params[k] = v.join(', ');
  let text = t(e.messageKey, { ...params, defaultValue: t('errors.INTERNAL') });
  if (e.code === 'WEAK_PASSWORD' && Array.isArray(e.params.problems)) {
    text += ' ' + (e.params.problems as string[]).map((p) => t(`password.${p}`)).join(' ');
  }
  if (e.code === 'VALIDATION_FAILED' && e.params.issue === 'mismatch') text = t('password.mismatch');
  return text;
}
