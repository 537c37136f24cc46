import {
  cloneElement,
  isValidElement,
  useEffect,
  useId,
  useRef,
  type ReactElement,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '@shared/errors';
import { passwordProblems } from '@shared/password';
import { describeError } from './errors';

export function ErrorMessage({ error }: { error: ErrorPayload | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="error" role="alert" data-error-code={error.code}>
      {describeError(t, error)}
    </div>
  );
}

export function Field(props: { label: string; children: (id: string) => ReactNode; hint?: ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const control = props.children(id);
  // The hint (a rule, a live problem list) is read out with its field, not found by chance.
  const described =
    props.hint && isValidElement(control)
      ? cloneElement(control as ReactElement<{ 'aria-describedby'?: string }>, { 'aria-describedby': hintId })
      : control;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {described}
      {props.hint ? (
        <div className="hint" id={hintId}>
          {props.hint}
        </div>
      ) : null}
    </div>
  );
}

/** The reason a refusal, reversal or removal must carry (DOMAIN 11): required, at most 500 characters. */
export function ReasonField(props: {
  value: string;
  onChange: (value: string) => void;
  name?: string;
  /** What the text is called where it is not a reason (a sign-off note). */
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <Field label={props.label ?? t('common.reason')}>
      {(id) => (
        <textarea
          id={id}
          name={props.name}
          required
          maxLength={500}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** Live feedback on the bank's password rule, with the very rule the main process enforces. */
export function PasswordFeedback({ password, username }: { password: string; username: string }) {
  const { t } = useTranslation();
  const problems = passwordProblems(password, username);
  // One live region whatever the state, so each change is announced.
  if (!password || problems.length === 0) {
    return (
      <span aria-live="polite" className={password ? 'ok' : undefined}>
        {password ? t('password.strong') : t('password.rule')}
      </span>
    );
  }
  return (
    <ul className="problems" aria-live="polite">
      {problems.map((p) => (
        <li key={p}>{t(`password.${p}`)}</li>
      ))}
    </ul>
  );
}

/** A modal dialog: focus moves in, Escape closes, focus returns where it was. */
export function Modal(props: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // The first field, not the header's close button (which comes first in the DOM): a palette or a
    // form dialog must take typing at once.
    const first =
      ref.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea') ??
      ref.current?.querySelector<HTMLElement>('button');
    first?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={props.onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={ref}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onClose();
          } else if (e.key === 'Tab') {
            // Keep focus inside the dialog: the page behind it is not reachable while it is open.
            const focusable = [
              ...(ref.current?.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href]') ??
                []),
            ].filter((el) => !el.hasAttribute('disabled'));
            const first = focusable[0];
            const last = focusable[focusable.length - 1];
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last?.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first?.focus();
            }
          }
        }}
      >
        <header>
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" className="icon" aria-label={t('common.close')} onClick={props.onClose}>
            ×
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}

/**
 * A command's form in a modal: the fields, the command's error, then submit and cancel. The caller
 * runs the command in onSubmit (the event's default is already prevented).
 */
export function DialogForm(props: {
  title: string;
  /** The form's accessible name, where it needs one beside the dialog's title. */
  formLabel?: string;
  submitLabel: string;
  submitDisabled: boolean;
  error: ErrorPayload | null;
  onSubmit: () => void;
  onClose: () => void;
  /** Buttons between submit and cancel (the payout's note-mix suggestion). */
  moreButtons?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
        noValidate
        aria-label={props.formLabel}
      >
        {props.children}
        <ErrorMessage error={props.error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={props.submitDisabled}>
            {props.submitLabel}
          </button>
          {props.moreButtons}
          <button type="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
