/**
 * The one logger factory. Children's welfare data passes through this bot, so the logger
 * scrubs every line twice over: values under keys that are known to carry personal data or
 * secrets are replaced, and any string anywhere (message, field, error, binding) that holds
 * something shaped like a Swedish personnummer or samordningsnummer is masked. A log line may
 * carry ids (caseId, verb, activityId, tenantId, the user's Entra object id), never content.
 */
import pino, { type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger };

/** What replaces a value under a sensitive key. */
export const redactedValue = '[borttaget]';
/** What replaces something shaped like a personnummer inside a string. */
export const maskedIdentityNumber = '[personnummer]';

/**
 * Keys whose values never reach a log, compared case-insensitively: a child and its details,
 * people's names, message text, card data (Action.Execute data is typed by users), and secrets.
 */
const sensitiveKeys = new Set(
  [
    'child',
    'children',
    'barn',
    'name',
    'givenName',
    'familyName',
    'firstName',
    'lastName',
    'fullName',
    'displayName',
    'identityNumber',
    'personnummer',
    'personalIdentityNumber',
    'birthDate',
    'dateOfBirth',
    'address',
    'text',
    'card',
    'cardData',
    'value',
    'attachments',
    'body',
    'authorization',
    'cookie',
    'set-cookie',
    'password',
    'secret',
    'token',
    'accessToken',
    'MicrosoftAppPassword',
    'COSMOS_KEY',
    'cosmosKey',
    'IDENTITY_HASH_KEY',
    'identityHashKey',
    'privateKey',
  ].map((key) => key.toLowerCase()),
);

/*
 * 10 or 12 digits, optionally with `-` or `+` before the last four: 8112189876, 811218-9876,
 * 19811218-9876, 198112189876. A UUID is matched first and left alone, so that the ids the logs
 * exist for (an all-digit group inside a UUID looks like a personnummer) stay readable.
 */
const identityNumberOrUuid =
  /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)/gi;

/** Masks everything in `text` that is shaped like a personnummer or samordningsnummer. */
export function maskIdentityNumbers(text: string): string {
  return text.replace(identityNumberOrUuid, (match, uuid: string | undefined) =>
    uuid === undefined ? maskedIdentityNumber : match,
  );
}

/** Whether `text` holds something shaped like a personnummer (e.g. to warn a user in a channel). */
export function containsIdentityNumber(text: string): boolean {
  return maskIdentityNumbers(text) !== text;
}

const maxDepth = 8;

/**
 * Returns a copy of `value` that is safe to log. Errors become plain `{ type, message, stack,
 * code }` objects (masked like everything else), since their messages can quote user input.
 */
export function scrubForLog(value: unknown): unknown {
  return scrubValue(value, 0, new WeakSet());
}

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskIdentityNumbers(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    // A personnummer stored as a number is still a personnummer.
    const digits = String(value);
    return /^\d{10}$|^\d{12}$/.test(digits) ? maskedIdentityNumber : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[cirkulär]';
  if (depth >= maxDepth) return '[för djupt]';
  seen.add(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return '[binärt]';
  if (value instanceof Error) return scrubError(value, depth, seen);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = sensitiveKeys.has(key.toLowerCase()) ? redactedValue : scrubValue(item, depth + 1, seen);
  }
  return copy;
}

function scrubError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const plain: Record<string, unknown> = {
    type: error.name,
    message: maskIdentityNumbers(error.message),
  };
  if (error.stack !== undefined) plain.stack = maskIdentityNumbers(error.stack);
  const { code, statusCode, details } = error as Error & Record<string, unknown>;
  if (code !== undefined) plain.code = scrubValue(code, depth + 1, seen);
  if (statusCode !== undefined) plain.statusCode = scrubValue(statusCode, depth + 1, seen);
  if (details !== undefined) plain.details = scrubValue(details, depth + 1, seen);
  if (error.cause !== undefined) plain.cause = scrubValue(error.cause, depth + 1, seen);
  return plain;
}

export interface LoggerOptions {
  level?: Level | 'silent';
  /** Where lines go; standard output when absent. Tests pass a stream they can read. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. `{ component: 'bot' }`. Scrubbed like everything else. */
  base?: Record<string, string>;
}

/** Creates the application logger (pino, JSON lines) with scrubbing built in. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Our errors arrive as plain objects already (see logMethod); pino's serializer would
      // rename their type to "Object".
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => scrubRecord(bindings),
        log: (object) => scrubRecord(object),
      },
      hooks: {
        // Runs before pino formats the message, so `%s` arguments and an Error's own message
        // (pino uses it as `msg`) are masked too.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => scrubForLog(arg));
          const [first] = args;
          if (first instanceof Error) {
            scrubbed[0] = { err: scrubForLog(first) };
            if (typeof scrubbed[1] !== 'string') scrubbed.splice(1, 0, maskIdentityNumbers(first.message));
          }
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
        // The last line of defence: whatever reached the serialized line is masked once more.
        streamWrite: (line) => maskIdentityNumbers(line),
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  // pino drops the bindings formatter for child loggers, so child bindings are scrubbed here;
  // children are created from their parent's prototype and inherit this override.
  const createChild = logger.child;
  logger.child = function scrubbedChild(this: Logger, bindings, childOptions) {
    return createChild.call(this, scrubRecord(bindings), childOptions);
  } as Logger['child'];
  return logger;
}

function scrubRecord(record: Record<string, unknown>): Record<string, unknown> {
  const scrubbed = scrubForLog(record);
  return typeof scrubbed === 'object' && scrubbed !== null ? (scrubbed as Record<string, unknown>) : {};
}
