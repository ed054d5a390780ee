/**
 * The one way this bot talks to Microsoft Graph: app-only bearer token, JSON in and out,
 * every answer parsed with zod, throttling honoured, at most four requests in flight per
 * mailbox (Outlook's limit per app and mailbox).
 *
 * Retries: 429 and 503 wait the server's Retry-After (exponential backoff when it gives none),
 * other 5xx and lost connections back off exponentially with full jitter, a bounded number of
 * times. That is safe for every request we send: getSchedule reads, PATCH is idempotent, an
 * event POST carries a transactionId (Graph drops a repeat create with the same id), and a
 * repeated cancel is answered as done by the caller; a repeated channel create meets its own
 * channel's name (409) and the caller reuses it, adding a member twice leaves one membership. Other 4xx fail at once with `GraphError`.
 */
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import {
  type BackoffPolicy,
  computeBackoffMs,
  computeRetryDelayMs,
  parseRetryAfterMs,
  type RandomSource,
} from '../outbox/backoff.js';
import { ZGraphErrorBody } from './graph-schemas.js';
import type { GraphTokenProvider } from './graph-token.js';
import { createMailboxLimiter } from './mailbox-limiter.js';

/** What a request was for; the label of errors and log lines instead of a URL with a mailbox in it. */
export type GraphOperation =
  | 'getSchedule'
  | 'createEvent'
  | 'getEventAttendees'
  | 'updateEvent'
  | 'cancelEvent'
  // The Individuellt barnteams' private channels (graph-team-channels.ts).
  | 'listChannels'
  | 'createChannel'
  | 'findTeamsApp'
  | 'listTeamApps'
  | 'installTeamApp'
  | 'findTeamMember'
  | 'addTeamMember'
  | 'listChannelMembers'
  | 'addChannelMember'
  | 'removeChannelMember'
  | 'listChannelTabs'
  | 'addChannelTab'
  | 'archiveChannel'
  | 'deleteChannel';

/**
 * Graph refused or failed a request. Carries Graph's error code (`ErrorItemNotFound`,
 * `ErrorInvalidRequest`, …) and never the response body: Graph's messages can echo
 * addresses and subjects back.
 */
export class GraphError extends Error {
  override readonly name = 'GraphError';

  constructor(
    readonly operation: GraphOperation,
    /** HTTP status; undefined when no response came (connection lost, timeout). */
    readonly status: number | undefined,
    /** Graph's `error.code`, or one of ours: `invalidResponse`, `networkError`, `unknown`. */
    readonly code: string,
    /** Graph's `request-id` header, for a support case with Microsoft. */
    readonly requestId?: string,
  ) {
    super(`Microsoft Graph ${operation} failed (${status ?? 'no response'}, ${code})`);
  }
}

export function isGraphError(error: unknown, status?: number): error is GraphError {
  return error instanceof GraphError && (status === undefined || error.status === status);
}

export interface GraphRequest {
  readonly operation: GraphOperation;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below the version root, each segment already encoded: `/users/a%40b.se/events` (a query may follow). */
  readonly path: string;
  /**
   * The mailbox whose concurrency budget the request spends (the one in the path); for a team's
   * channels, `team:<id>`, so that one team's requests share a budget too.
   */
  readonly mailbox: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface GraphClient {
  /** Sends the request and returns the answer parsed with `schema`. */
  requestJson<T>(request: GraphRequest, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T>;
  /** Sends a request whose answer has no body we need (202 Accepted, 204 No Content). */
  requestVoid(request: GraphRequest): Promise<void>;
}

export interface GraphClientOptions {
  readonly tokenProvider: GraphTokenProvider;
  /** `https://graph.microsoft.com/v1.0` unless a national cloud is used. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /** Waits between attempts; tests pass one that records and returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: RandomSource;
  /** Reads HTTP-date Retry-After values. */
  readonly now?: () => Date;
  /** Attempts per request including the first (default 4). */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  /** Outlook allows 4 concurrent requests per app and mailbox. */
  readonly maxConcurrentPerMailbox?: number;
  /** Per attempt (default 20 s), so that a hung connection is retried rather than waited on. */
  readonly attemptTimeoutMs?: number;
  readonly logger?: Logger;
}

/**
 * Short waits: a booking is interactive. Retry-After is honoured up to a minute; beyond that
 * the caller is better served by an error it can show than by a spinner.
 */
export const graphBackoffPolicy: BackoffPolicy = {
  baseMs: 500,
  minMs: 200,
  capMs: 8_000,
  retryAfterJitterMs: 250,
  maxRetryAfterMs: 60_000,
};

const defaultBaseUrl = 'https://graph.microsoft.com/v1.0';

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const baseUrl = (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, '');
  const fetchOnce = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const policy = options.backoff ?? graphBackoffPolicy;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 20_000;
  const limiter = createMailboxLimiter(options.maxConcurrentPerMailbox ?? 4);

  async function sendAttempt(
    request: GraphRequest,
  ): Promise<{ status: number; text: string; headers: Headers }> {
    const token = await options.tokenProvider.getAccessToken();
    return limiter.run(request.mailbox, async () => {
      const response = await fetchOnce(`${baseUrl}${request.path}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      // Read the body inside the limiter: the request is not over until it is consumed.
      return { status: response.status, text: await response.text(), headers: response.headers };
    });
  }

  async function send(request: GraphRequest): Promise<{ status: number; text: string }> {
    for (let attempt = 1; ; attempt += 1) {
      let outcome: Awaited<ReturnType<typeof sendAttempt>>;
      try {
        outcome = await sendAttempt(request);
      } catch {
        // No response (refused, reset, timed out, or no token): retried like a 5xx, then reported.
        if (attempt >= maxAttempts) {
          throw new GraphError(request.operation, undefined, 'networkError');
        }
        const delayMs = computeBackoffMs(attempt, policy, random);
        options.logger?.warn(
          { operation: request.operation, attempt, delayMs },
          'Graph unreachable, retrying',
        );
        await sleep(delayMs);
        continue;
      }
      const { status, text, headers } = outcome;
      if (status >= 200 && status < 300) {
        return { status, text };
      }
      const failure = new GraphError(request.operation, status, readErrorCode(text), readRequestId(headers));
      if (!isRetryable(status) || attempt >= maxAttempts) {
        throw failure;
      }
      const retryAfterMs =
        status === 429 || status === 503 ? parseRetryAfterMs(headers.get('retry-after'), now()) : undefined;
      const delayMs = computeRetryDelayMs(attempt, retryAfterMs, policy, random);
      options.logger?.warn(
        { operation: request.operation, status, code: failure.code, attempt, delayMs },
        'Graph throttled or failed, retrying',
      );
      await sleep(delayMs);
    }
  }

  return {
    async requestJson(request, schema) {
      const { status, text } = await send(request);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new GraphError(request.operation, status, 'invalidResponse');
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        // Zod's messages can quote the received values; the paths alone say what was wrong.
        const paths = parsed.error.issues.slice(0, 3).map((issue) => issue.path.join('.') || '(root)');
        options.logger?.warn({ operation: request.operation, paths }, 'Graph answer did not parse');
        throw new GraphError(request.operation, status, 'invalidResponse');
      }
      return parsed.data;
    },
    async requestVoid(request) {
      await send(request);
    },
  };
}

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

function readErrorCode(text: string): string {
  try {
    const parsed = ZGraphErrorBody.safeParse(JSON.parse(text));
    // Codes are identifiers; anything else is not trusted into an error message.
    if (parsed.success && /^[A-Za-z0-9_.-]{1,100}$/.test(parsed.data.error.code)) {
      return parsed.data.error.code;
    }
  } catch {
    // Not JSON (a gateway's HTML page): no code to report.
  }
  return 'unknown';
}

function readRequestId(headers: Headers): string | undefined {
  const value = headers.get('request-id') ?? headers.get('client-request-id');
  return value !== null && /^[0-9a-f-]{8,64}$/i.test(value) ? value : undefined;
}
