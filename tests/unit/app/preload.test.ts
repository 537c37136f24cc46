import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bridge } from '../../../shared/bridge';
import { fake, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

let bank: Bridge;

// The preload does its work when loaded, once, like in a renderer.
beforeAll(async () => {
  resetFakeElectron();
  await import('../../../main/app/preload');
  bank = fake.exposed.get('bank') as Bridge;
});
beforeEach(() => fake.ipcRenderer.invoke.mockClear());

describe('preload', () => {
  it('exposes window.bank with only invoke, subscribe and print, and nothing else', () => {
    expect([...fake.exposed.keys()]).toEqual(['bank']);
    expect(Object.keys(bank).sort()).toEqual(['invoke', 'print', 'subscribe']);
    expect(typeof bank.invoke).toBe('function');
    expect(typeof bank.subscribe).toBe('function');
  });

  it('print asks the main process over the print channel, with nothing from the page', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce(true);
    await bank.print!();
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith('bank:print');
  });

  it('invoke goes over the one invoke channel', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: { version: '1' } });
    expect(await bank.invoke('system.info', { a: 1 })).toEqual({ ok: true, result: { version: '1' } });
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith('bank:invoke', 'system.info', { a: 1 });
  });

  it('subscribe hands over event name and payload, never the IPC event, until unsubscribed', () => {
    const listener = vi.fn();
    const unsubscribe = bank.subscribe(listener);
    const ipcEvent = { sender: { send: () => undefined } };
    fake.ipcRenderer.emit('bank:event', ipcEvent, 'session.locked', { reason: 'idle' });
    expect(listener).toHaveBeenCalledExactlyOnceWith('session.locked', { reason: 'idle' });

    fake.ipcRenderer.emit('some:other-channel', ipcEvent, 'session.locked', {});
    fake.ipcRenderer.emit('bank:event', ipcEvent, 42, {});
    expect(listener).toHaveBeenCalledTimes(1);

    unsubscribe();
    expect(fake.ipcRenderer.listenerCount('bank:event')).toBe(0);
    fake.ipcRenderer.emit('bank:event', ipcEvent, 'session.locked', { reason: 'idle' });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
