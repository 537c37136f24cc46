import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  loadWindowState,
  saveWindowState,
} from '../../../main/app/window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 870 };
const rightMonitor = { x: 1440, y: 0, width: 2560, height: 1400 };
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bank-window-state-'));
  file = join(dir, 'nested', 'window-state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('round-trips through the file, leaving no temporary file behind', () => {
    const state = { bounds: { x: 1600, y: 40, width: 1800, height: 1000 }, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file, [laptop, rightMonitor])).toEqual(state);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['window-state.json']);
  });

  it('gives the default for a missing, damaged or implausible file', () => {
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(file, DEFAULT_WINDOW_STATE);
    writeFileSync(file, '{"bounds": {"x": 1');
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, JSON.stringify({ bounds: { x: 0, y: 0, width: -5, height: 1e9 }, maximized: 'yes' }));
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(
      file,
      JSON.stringify({ bounds: { x: 'a', y: 0, width: 1000, height: 700 }, maximized: false }),
    );
    expect(loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('moves a window from an unplugged monitor onto one that is there', () => {
    const onRight = { bounds: { x: 2000, y: 100, width: 1600, height: 900 }, maximized: false };
    expect(fitToDisplays(onRight, [laptop])).toEqual({
      bounds: { x: 0, y: 0, width: 1440, height: 870 },
      maximized: false,
    });
  });

  it('keeps a window on the display it mostly overlaps, pulled fully inside it', () => {
    const straddling = { bounds: { x: 1300, y: -50, width: 1200, height: 800 }, maximized: false };
    expect(fitToDisplays(straddling, [laptop, rightMonitor]).bounds).toEqual({
      x: 1440,
      y: 0,
      width: 1200,
      height: 800,
    });
  });

  it('leaves an unplaced window to be centred, no larger than the display', () => {
    expect(fitToDisplays(DEFAULT_WINDOW_STATE, [{ x: 0, y: 0, width: 1024, height: 700 }]).bounds).toEqual({
      width: 1024,
      height: 700,
    });
  });

  it('saves odd bounds as whole numbers no smaller than the minimum size', () => {
    saveWindowState(file, { bounds: { x: 10.4, y: 20.6, width: 300, height: 200 }, maximized: false });
    expect(loadWindowState(file, [rightMonitor]).bounds).toEqual({
      x: 1440,
      y: 21,
      width: 960,
      height: 640,
    });
  });
});
