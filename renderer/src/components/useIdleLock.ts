import { useEffect, useRef } from 'react';
import { call } from '../api';

// 'input' too: pasting or autofill is activity without a key press.
const INPUT_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart', 'input'] as const;
const HEARTBEAT_MS = 60_000;

/**
 * Locks the workstation after the bank's idle time without keyboard or pointer input. While the
 * user is active but not calling the bank (reading, typing a long form), a heartbeat tells the main
 * process, which enforces the same limit on its side.
 */
export function useIdleLock(idleMinutes: number, locked: boolean, onIdle: () => void) {
  const lastInput = useRef(0);
  const lastBeat = useRef(0);

  useEffect(() => {
    const mark = () => {
      lastInput.current = Date.now();
    };
    for (const e of INPUT_EVENTS) window.addEventListener(e, mark, { capture: true, passive: true });
    return () => {
      for (const e of INPUT_EVENTS) window.removeEventListener(e, mark, { capture: true });
    };
  }, []);

  useEffect(() => {
    if (locked) return;
    lastInput.current = Date.now();
    lastBeat.current = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      if (now - lastInput.current >= idleMinutes * 60_000) {
        onIdle();
      } else if (lastInput.current > lastBeat.current && now - lastBeat.current >= HEARTBEAT_MS) {
        lastBeat.current = now;
        void call('session.activity', {}).catch(() => undefined);
      }
    }, 1_000);
    return () => clearInterval(timer);
  }, [idleMinutes, locked, onIdle]);
}
