/** Messages between scripts/bench.ts and its load-generator process (scripts/bench/load-generator.ts). */

export type Scenario = { readonly kind: 'message'; readonly text: string } | { readonly kind: 'submit' };

export interface RunRequest {
  readonly kind: 'run';
  readonly runId: number;
  /** The bot's base URL, e.g. http://127.0.0.1:41234 */
  readonly targetUrl: string;
  readonly scenario: Scenario;
  /** Conversations running at once; each sends its turns one after the other. */
  readonly concurrency: number;
  readonly warmupTurns: number;
  readonly turns: number;
  /** Number of the first conversation, so that every run has users of its own. */
  readonly conversationOffset: number;
  /** Entra object ids of the users, one per conversation, instead of generated ones. */
  readonly aadObjectIds?: readonly string[];
}

export interface RunResult {
  readonly kind: 'result';
  readonly runId: number;
  /** Milliseconds per successful measured turn. */
  readonly latencies: number[];
  readonly elapsedMs: number;
  /** Failed turns by reason (a non-2xx status, a network error, a submit answered without a receipt). */
  readonly failures: Record<string, number>;
  /** Replies the fake Bot Connector took during the measured phase. */
  readonly connectorReplies: number;
  /** Requests to the fake Bot Connector that were not a reply. */
  readonly connectorUnexpected: number;
  /** The first response body of the measured phase, for the sanity check in the report. */
  readonly sampleBody?: string;
  /** The first reply the fake Bot Connector took in the measured phase. */
  readonly sampleReply?: string;
}

export type LoadMessage =
  | RunRequest
  | RunResult
  | { readonly kind: 'ready'; readonly connectorUrl: string }
  | { readonly kind: 'failed'; readonly runId: number; readonly reason: string }
  | { readonly kind: 'stop' };
