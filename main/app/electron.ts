// The one import of 'electron' in the code base; every other shell module goes through here.
//
// electron is an optionalDependency, so its package and type definitions may be missing (its
// binary could not be downloaded). The shell therefore sees Electron through the interfaces in
// ./electron-types. The ignores below only take effect when the package is missing; where it is
// installed, `_Conforms` makes the compiler prove that the real API satisfies those interfaces.
import type { MainElectron, PreloadElectron } from './electron-types';
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore -- absent when the optional 'electron' package is not installed
import * as electronModule from 'electron';

// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore -- absent when the optional 'electron' package is not installed
type RealElectron = typeof import('electron');
type Conforms<Wanted, Actual extends Wanted> = Actual;
export type _Conforms = [Conforms<MainElectron, RealElectron>, Conforms<PreloadElectron, RealElectron>];

// Node's ESM loader and bundlers' CommonJS interop put the module object on `default` (named
// exports of a CommonJS module are only guessed); test mocks are plain namespaces.
const loaded = electronModule as { default?: unknown };
const api: unknown = 'default' in loaded && loaded.default ? loaded.default : loaded;

/** The main process's view of Electron. Members are read at call time. */
export const electron = api as MainElectron;

/** The sandboxed preload's view of Electron (only contextBridge and ipcRenderer exist there). */
export const preloadElectron = api as PreloadElectron;

export type * from './electron-types';
