/** dynalite ships no types: the slice of its API the embedded store uses. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    /** How long a new table stays CREATING (default 500 ms). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  /** An HTTP server speaking the DynamoDB protocol; `close` also closes the database. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
