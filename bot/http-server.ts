/**
 * The bot's HTTP surface: `POST /api/messages` for the Bot Connector and `GET /healthz` for the
 * platform's probe. Nothing else, bodies are size-limited, and a caller never sees a stack
 * trace or an internal message: refusals get a status and a short fixed text.
 */
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { z } from 'zod';
import type { Logger } from '../infra/logger.js';
import type { BackaCloudAdapter } from './adapter.js';
import { RequestRefusedError } from './guarded-authentication.js';
import { MalformedActivityError } from './inbound-activity.js';

/** Teams messages are at most ~28 KB; card submissions carry a form. Anything larger is not Teams. */
export const maxBodyBytes = 256 * 1024;

const ZInboundActivity = z
  .object({
    type: z.string().min(1),
    id: z.string().optional(),
    serviceUrl: z.string().optional(),
    timestamp: z.string().optional(),
    localTimestamp: z.string().optional(),
    expiration: z.string().optional(),
  })
  .passthrough();

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
  readonly logic: (context: TurnContext) => Promise<void>;
  readonly logger: Logger;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const { adapter, logic, logger } = options;
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
      const parsed = ZInboundActivity.safeParse(request.body);
      if (!parsed.success) {
        sendStatus(response, 400);
        return;
      }
      const activity = toActivity(parsed.data);
      const authorization = request.headers.authorization ?? '';
      let invokeResponse: InvokeResponse | undefined;
      try {
        invokeResponse = await adapter.handleActivity(authorization, activity, logic);
      } catch (error) {
        if (error instanceof RequestRefusedError) {
          sendStatus(response, error.status);
          return;
        }
        if (error instanceof MalformedActivityError) {
          logger.warn(
            { activityId: activity.id, activityType: activity.type, problem: error.code },
            'Aktiviteten har fel form och besvaras med 400',
          );
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

  app.use((_request, response) => sendStatus(response, 404));

  const handleError: ErrorRequestHandler = (error: unknown, _request, response, _next) => {
    // body-parser's errors carry a 4xx status (413 too large, 400 malformed JSON).
    const status = (error as { status?: unknown }).status;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    if (code === 500) logger.error({ err: error }, 'Oväntat fel i HTTP-lagret');
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
function toActivity(body: z.infer<typeof ZInboundActivity>): Activity {
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
