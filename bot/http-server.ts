/**
 * The bot's HTTP surface: `POST /api/messages` for the Bot Connector, `GET /healthz` for the
 * platform's probe, and the channel tab's `/tab` and `/api/tab` (web/). Bodies are size-limited, and a caller never sees a stack
 * trace or an internal message: refusals get a status and a short fixed text.
 */
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from '../infra/logger.js';
import type { BackaCloudAdapter } from './adapter.js';
import { RequestRefusedError } from './guarded-authentication.js';
import {
  inboundActivityTypes,
  type Malformation,
  MalformedActivityError,
  type TActivityEnvelope,
  toMalformation,
  ZActivityEnvelope,
} from './inbound-activity.js';

/** Teams messages are at most ~28 KB; card submissions carry a form. Anything larger is not Teams. */
export const maxBodyBytes = 256 * 1024;

const publicMessages: Readonly<Record<number, string>> = {
  400: 'Ogiltig begäran.',
  401: 'Ej autentiserad.',
  403: 'Åtkomst nekad.',
  404: 'Finns inte.',
  413: 'Begäran är för stor.',
  500: 'Internt fel.',
  503: 'Tjänsten är tillfälligt otillgänglig.',
};

export interface HttpAppOptions {
  readonly adapter: BackaCloudAdapter;
  /** What is wrong with an authenticated activity's shape (bot/inbound-activity.ts), if anything. */
  readonly findMalformation: (activity: unknown) => Malformation | undefined;
  readonly logic: (context: TurnContext) => Promise<void>;
  readonly logger: Logger;
  /** More of the server under their own paths: the channel tab's pages and API (web/). */
  readonly mounts?: readonly { readonly path: string; readonly router: Router }[];
}

export function createHttpApp(options: HttpAppOptions): Express {
  const { adapter, findMalformation, logic, logger } = options;
  // One warn line per bad request, with ids only: a caller's text never reaches the log.
  const warnMalformed = (body: unknown, malformation: Malformation) =>
    logger.warn(
      { ...describeForLog(body), ...malformation },
      'Aktiviteten har fel form och besvaras med 400',
    );
  const app = express();
  app.disable('x-powered-by');
  app.set('env', 'production');

  app.get('/healthz', (_request, response) => {
    response.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  app.post(
    '/api/messages',
    express.json({ limit: maxBodyBytes, type: ['application/json', 'application/*+json'] }),
    async (request, response) => {
      const parsed = ZActivityEnvelope.safeParse(request.body);
      if (!parsed.success) {
        warnMalformed(request.body, toMalformation(parsed.error));
        sendStatus(response, 400);
        return;
      }
      const body = parsed.data;
      const activity = toActivity(body);
      const authorization = request.headers.authorization ?? '';
      let invokeResponse: InvokeResponse | undefined;
      try {
        invokeResponse = await adapter.handleActivity(
          authorization,
          activity,
          () => findMalformation(body),
          logic,
        );
      } catch (error) {
        if (error instanceof RequestRefusedError) {
          sendStatus(response, error.status);
          return;
        }
        if (error instanceof MalformedActivityError) {
          warnMalformed(body, error.malformation);
          sendStatus(response, 400);
          return;
        }
        logger.error({ err: error, activityId: activity.id }, 'Aktiviteten kunde inte behandlas');
        sendStatus(response, 500);
        return;
      }
      response.set('Cache-Control', 'no-store');
      if (invokeResponse?.body === undefined) {
        response.status(invokeResponse?.status ?? 200).end();
      } else {
        response.status(invokeResponse.status).json(invokeResponse.body);
      }
    },
  );

  for (const mount of options.mounts ?? []) app.use(mount.path, mount.router);

  app.use((_request, response) => sendStatus(response, 404));

  const handleError: ErrorRequestHandler = (error: unknown, _request, response, _next) => {
    // body-parser's errors carry a 4xx status (413 too large, 400 malformed JSON).
    const status = (error as { status?: unknown }).status;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    if (code === 500) logger.error({ err: error }, 'Oväntat fel i HTTP-lagret');
    else logger.warn({ status: code, reason: describeBodyError(error) }, 'Begäran nekades av HTTP-lagret');
    sendStatus(response, code);
  };
  app.use(handleError);
  return app;
}

function sendStatus(response: express.Response, status: number): void {
  response
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ error: publicMessages[status] ?? publicMessages[500] });
}

/** As botbuilder's own request handling does: the SDK expects Date objects for these fields. */
function toActivity(body: TActivityEnvelope): Activity {
  const activity: Record<string, unknown> = { ...body };
  for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const value = body[field];
    if (typeof value === 'string') {
      activity[`raw${field[0]?.toUpperCase()}${field.slice(1)}`] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

const loggedTypes: ReadonlySet<string> = new Set(inboundActivityTypes);

/** The activity's id and type for a log line; anything else the caller typed stays out. */
function describeForLog(body: unknown): { activityId?: string; activityType?: string } {
  const { id, type } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return {
    ...(typeof id === 'string' ? { activityId: id.slice(0, 100) } : {}),
    ...(typeof type === 'string' ? { activityType: loggedTypes.has(type) ? type : 'okänd' } : {}),
  };
}

/** body-parser's error type (`entity.parse.failed`, `entity.too.large` …), a fixed word. */
function describeBodyError(error: unknown): string {
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' && /^[a-z.]{1,40}$/.test(type) ? type : 'okänd';
}
