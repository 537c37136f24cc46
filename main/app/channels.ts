/** The two IPC channels between the preload and the main process; nothing else is listened to. */
export const INVOKE_CHANNEL = 'bank:invoke';
export const EVENT_CHANNEL = 'bank:event';
/** Prints the calling window through the system dialog (receipts, issue 6). */
export const PRINT_CHANNEL = 'bank:print';
