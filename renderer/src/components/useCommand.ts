import { useCallback, useRef, useState } from 'react';
import type { InputOf, OutputOf, ProcedureName } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import { call, errorPayload, newCommandId } from '../api';

type CommandInput<P extends ProcedureName> = Omit<InputOf<P>, 'commandId'>;

/**
 * Runs a command with one commandId per user intention: a double click or a retry after a lost
 * answer reuses the id (the bank answers with the first result); success starts a new intention.
 */
export function useCommand<P extends ProcedureName>(name: P) {
  const commandId = useRef(newCommandId());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const run = useCallback(
    async (input: CommandInput<P>): Promise<OutputOf<P> | undefined> => {
      setBusy(true);
      setError(null);
      try {
        const result = await call(name, { ...input, commandId: commandId.current } as InputOf<P>);
        commandId.current = newCommandId();
        return result;
      } catch (err) {
        setError(errorPayload(err));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [name],
  );

  const reset = useCallback(() => {
    commandId.current = newCommandId();
    setError(null);
  }, []);

  return { run, busy, error, reset };
}
