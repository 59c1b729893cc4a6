/** One stack a state backend holds: its name as reports show it, and a way to fetch its state. */
export interface BackendStack {
  /** `project/stack` (the older project-less file layout: `stack`). */
  name: string;
  /**
   * The stack's checkpoint or export as bytes (decompressed), in a buffer no one else holds: the audit pool
   * transfers its memory to a worker thread. Rejects with a `UserError` naming the stack.
   */
  read(): Promise<Buffer>;
}

/** A state backend's stacks, listed without reading them. */
export interface Backend {
  /** The backend as the user named it, for messages (never with credentials). */
  url: string;
  list(): Promise<BackendStack[]>;
}
