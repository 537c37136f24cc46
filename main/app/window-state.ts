import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Rectangle } from './electron';

export const MIN_WIDTH = 960;
export const MIN_HEIGHT = 640;
const DEFAULT_WIDTH = 1280;
const DEFAULT_HEIGHT = 800;

export interface WindowState {
  /** x and y are absent when the window should simply be centred. */
  bounds: { x?: number; y?: number; width: number; height: number };
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = {
  bounds: { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT },
  maximized: false,
};

const coordinate = z.number().int().min(-100_000).max(100_000);
const stored = z.object({
  bounds: z.object({
    x: coordinate.optional(),
    y: coordinate.optional(),
    width: z.number().int().min(MIN_WIDTH).max(20_000),
    height: z.number().int().min(MIN_HEIGHT).max(20_000),
  }),
  maximized: z.boolean(),
});

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Puts the window wholly inside one display's work area: the display it mostly overlapped, or the
 * first one if it overlaps none (a monitor was unplugged since, or the resolution changed).
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  const { x, y, width, height } = state.bounds;
  if (workAreas.length === 0) return state;
  if (x === undefined || y === undefined) {
    const area = workAreas[0]!;
    return {
      ...state,
      bounds: { width: Math.min(width, area.width), height: Math.min(height, area.height) },
    };
  }
  const rect = { x, y, width, height };
  let area = workAreas[0]!;
  let best = 0;
  for (const candidate of workAreas) {
    const o = overlap(rect, candidate);
    if (o > best) [area, best] = [candidate, o];
  }
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return {
    ...state,
    bounds: {
      x: clamp(x, area.x, area.x + area.width - w),
      y: clamp(y, area.y, area.y + area.height - h),
      width: w,
      height: h,
    },
  };
}

/** A missing, unreadable or implausible file gives the default state: never a reason to fail. */
export function loadWindowState(file: string, workAreas: readonly Rectangle[]): WindowState {
  let state = DEFAULT_WINDOW_STATE;
  try {
    const parsed = stored.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) state = parsed.data;
  } catch {
    // first start, or a damaged file: the default will do
  }
  return fitToDisplays(state, workAreas);
}

/** Written to a temporary file then renamed, so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  const { x, y, width, height } = state.bounds;
  const checked = stored.safeParse({
    bounds: {
      x: x === undefined ? undefined : Math.round(x),
      y: y === undefined ? undefined : Math.round(y),
      width: Math.max(MIN_WIDTH, Math.round(width)),
      height: Math.max(MIN_HEIGHT, Math.round(height)),
    },
    maximized: state.maximized,
  });
  if (!checked.success) return;
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(checked.data), 'utf8');
  renameSync(temp, file);
}
