/** A prospect's or customer's documents: upload, list, preview, download, archive, delete. */
export function DocumentsPanel({ holderId }: { holderId: string }) {
  void holderId;
  return null;
}
