/**
 * The channel tab's API (`/api/tab/…`): Barnets plan for one case, as the caller may read it, and
 * the two writes the tab offers (an action's status, a note on a follow-up). Every request but
 * `session` carries a Teams SSO token (or, locally, a local sign-in token) checked by
 * `verifyTabToken`; the caller is the token's `oid`. What they may see is decided by their role
 * in the case (flows/kernel/access.ts), as for the cards: a valid user without one gets 403 and
 * nothing of the plan. Each read is audited with its purpose before anything is answered, and a
 * failed audit answers 500 with nothing. Answers are `no-store`; the case is named by its opaque
 * id, never by anything about the child.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { addFollowUpNote } from '../flows/individuellt-barnteam/follow-up-notes.js';
import { setActionStatus } from '../flows/individuellt-barnteam/plan-actions.js';
import { toPlanView } from '../flows/individuellt-barnteam/plan-view.js';
import { authorize } from '../flows/kernel/access.js';
import type { Case } from '../flows/kernel/case.js';
import type { CaseCommandResult } from '../flows/kernel/case-command.js';
import { type Actor, appendAudit, type FlowDependencies } from '../flows/kernel/case-effects.js';
import { isInTeams } from '../flows/kernel/directory.js';
import { isDomainError } from '../flows/kernel/errors.js';
import type { Versioned } from '../flows/kernel/ports.js';
import type { PlanView } from '../flows/kernel/records/plan-view.js';
import { toStockholmDate } from '../flows/kernel/stockholm-date.js';
import { isClosedState, stateLabels } from '../flows/kernel/transitions.js';
import type { Logger } from '../infra/logger.js';
import type { LocalTokenIssuer } from './local-sign-in.js';
import { readBearerToken, type TabTokenSettings, type TabUser, verifyTabToken } from './tab-token.js';

export const tabPurposes = {
  read: 'Barnets plan i kanalfliken: teamets medlem läser planen för att ge och följa upp stödet.',
  familyCopy:
    'Familjens version av Barnets plan laddades ner för att lämnas till barnet och vårdnadshavaren.',
  lookUp: 'Kanalfliken kopplades till Barnets plan med ärendets referens.',
} as const;

export const tabMessages = {
  unauthenticated: 'Du är inte inloggad. Öppna fliken i Teams igen.',
  keysUnavailable: 'Inloggningen kunde inte kontrolleras just nu. Försök igen om en stund.',
  noRole: 'Du har ingen roll i det här barnets plan.',
  notFound: 'Planen finns inte.',
  badRequest: 'Begäran kunde inte läsas.',
  saved: 'Sparat.',
  failed: 'Något gick fel. Inget har sparats. Försök igen om en stund.',
  notLocal: 'Lokal inloggning finns bara i lokalt läge på den här datorn.',
  noFamilyCopy: 'Familjens version kan inte skapas på den här servern.',
} as const;

/** The family's copy of the plan in one of the catalogue's languages (web/family-copy). */
export interface FamilyCopyRenderer {
  readonly languages: readonly { readonly code: string; readonly name: string }[];
  render(view: PlanView, language: string): Promise<Uint8Array>;
}

export interface TabApiOptions {
  readonly flow: FlowDependencies;
  readonly tokens: TabTokenSettings;
  readonly logger: Logger;
  /** Starts the outbox at once after a write, so the channel's post goes out now. */
  readonly kick: () => void;
  /** Local mode only: the playground users' sign-in. */
  readonly localSignIn?: LocalTokenIssuer;
  readonly familyCopy?: FamilyCopyRenderer;
}

const ZCaseId = z.string().regex(/^[A-Za-z0-9-]{1,100}$/);
const ZItemId = z.string().regex(/^[a-z0-9-]{1,40}$/);
const ZReference = z.string().regex(/^[A-Z]{1,5}-[0-9A-Z-]{1,30}$/);
const ZStatusBody = z
  .object({ etag: z.string().min(1).max(200), status: z.enum(['pagar', 'genomford', 'installd']) })
  .strict();
const ZNoteBody = z.object({ etag: z.string().min(1).max(200), text: z.string().max(2000) }).strict();
const ZLocalTokenBody = z.object({ userId: z.string().uuid() }).strict();
const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function createTabApi(options: TabApiOptions): Router {
  const { flow, logger } = options;
  const router = express.Router();
  router.use((_request, response, next) => {
    response.set('Cache-Control', 'no-store');
    next();
  });
  router.use(express.json({ limit: '16kb' }));

  router.get('/session', (_request, response) => {
    if (options.localSignIn === undefined) {
      response.json({ mode: 'teams' });
      return;
    }
    response.json({
      mode: 'local',
      users: flow.directory.contacts
        .filter((contact) => isInTeams(contact) && contact.aadObjectId !== undefined)
        .map((contact) => ({ userId: contact.aadObjectId, name: contact.displayName, title: contact.title })),
    });
  });

  router.post('/local-token', async (request, response) => {
    const issuer = options.localSignIn;
    if (issuer === undefined || !loopback.has(request.socket.remoteAddress ?? '')) {
      sendError(response, 404, tabMessages.notLocal);
      return;
    }
    const body = ZLocalTokenBody.safeParse(request.body);
    const contact = body.success
      ? flow.directory.contacts.find((item) => item.aadObjectId === body.data.userId)
      : undefined;
    if (!body.success || contact === undefined) {
      sendError(response, 400, tabMessages.badRequest);
      return;
    }
    response.json(await issuer.issue({ userId: body.data.userId, name: contact.displayName }));
  });

  const authenticated = (
    handle: (request: Request, response: Response, user: TabUser) => Promise<void>,
  ): express.RequestHandler => {
    return async (request, response) => {
      const check = await verifyTabToken(readBearerToken(request.headers.authorization), options.tokens);
      if (!check.ok) {
        logger.warn({ route: request.route?.path, refusal: check.refusal }, 'Kanalflikens token nekades');
        if (check.refusal === 'nycklarOtillgangliga') {
          sendError(response, 503, tabMessages.keysUnavailable);
          return;
        }
        response.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        sendError(response, 401, tabMessages.unauthenticated);
        return;
      }
      try {
        await handle(request, response, check.user);
      } catch (error) {
        logger.error(
          { err: isDomainError(error) ? error.code : error, route: request.route?.path },
          'Kanalflikens begäran misslyckades',
        );
        if (!response.headersSent) sendError(response, 500, tabMessages.failed);
      }
    };
  };

  /** Reads the case and the caller's view of its plan, auditing the read (allowed or refused). */
  const readPlan = async (
    caseId: string,
    user: TabUser,
    purpose: string,
  ): Promise<{ current: Versioned<Case>; view: PlanView } | { closed: string } | 'notFound' | 'refused'> => {
    const current = await flow.stores.cases.get(caseId);
    if (current === undefined) return 'notFound';
    const now = flow.clock.now().toISOString();
    const view = toPlanView(current, user.userId, flow.directory, now);
    // A closed case shows those who had a role the minimum the chat shows: that it is closed, and when.
    const closed =
      view === undefined &&
      isClosedState(current.value.state) &&
      authorize(current.value, user.userId, 'lasArende').allowed
        ? describeClosed(current.value)
        : undefined;
    await appendAudit(flow, {
      at: now,
      actor: user.userId,
      action: 'lasPlan',
      caseId: current.value.id,
      unitId: current.value.unitId,
      outcome: view === undefined && closed === undefined ? 'refused' : 'allowed',
      purpose,
    });
    if (closed !== undefined) return { closed };
    return view === undefined ? 'refused' : { current, view };
  };

  const answerRead = (
    response: Response,
    read: Awaited<ReturnType<typeof readPlan>>,
  ): read is { current: Versioned<Case>; view: PlanView } => {
    if (read === 'notFound') sendError(response, 404, tabMessages.notFound);
    else if (read === 'refused') sendError(response, 403, tabMessages.noRole);
    else if ('closed' in read) sendError(response, 410, read.closed);
    else return true;
    return false;
  };

  router.get(
    '/cases/:caseId/plan',
    authenticated(async (request, response, user) => {
      const caseId = ZCaseId.safeParse(request.params.caseId);
      if (!caseId.success) return sendError(response, 404, tabMessages.notFound);
      const read = await readPlan(caseId.data, user, tabPurposes.read);
      logger.info(
        { route: 'plan', caseId: caseId.data, outcome: typeof read === 'string' ? read : 'shown' },
        'Kanalfliken läste Barnets plan',
      );
      if (answerRead(response, read)) response.json(read.view);
    }),
  );

  router.get(
    '/cases/by-reference/:reference',
    authenticated(async (request, response, user) => {
      const reference = ZReference.safeParse(request.params.reference);
      const caseId = reference.success
        ? await flow.stores.cases.findCaseIdByReference(reference.data)
        : undefined;
      if (caseId === undefined) return sendError(response, 404, tabMessages.notFound);
      const read = await readPlan(caseId, user, tabPurposes.lookUp);
      if (answerRead(response, read)) response.json({ caseId });
    }),
  );

  const write = (
    run: (
      request: Request,
      actor: Actor,
      caseId: string,
      at: string,
    ) => Promise<CaseCommandResult> | 'badRequest',
  ) =>
    authenticated(async (request, response, user) => {
      const caseId = ZCaseId.safeParse(request.params.caseId);
      if (!caseId.success) return sendError(response, 404, tabMessages.notFound);
      const at = flow.clock.now().toISOString();
      const result = await run(request, toActor(user, flow), caseId.data, at);
      if (result === 'badRequest') return sendError(response, 400, tabMessages.badRequest);
      const outcome = await result;
      logger.info(
        {
          route: request.route?.path,
          caseId: caseId.data,
          outcome: outcome.outcome,
          ...(outcome.outcome === 'refused' && outcome.field !== undefined ? { field: outcome.field } : {}),
        },
        'Kanalfliken ändrade Barnets plan',
      );
      if (outcome.outcome === 'refused' && outcome.cause === 'accessDenied') {
        return sendError(response, 403, outcome.message);
      }
      if (outcome.outcome === 'applied' || outcome.outcome === 'alreadyApplied') options.kick();
      // The answer shows the plan as it is now, read (and audited) like any other read.
      const read = await readPlan(caseId.data, user, tabPurposes.read);
      if (!answerRead(response, read)) return;
      switch (outcome.outcome) {
        case 'applied':
          response.json({ outcome: 'saved', message: tabMessages.saved, plan: read.view });
          return;
        case 'alreadyApplied':
          response.json({ outcome: 'saved', message: outcome.message, plan: read.view });
          return;
        case 'stale':
          response.status(409).json({ outcome: 'stale', message: outcome.message, plan: read.view });
          return;
        case 'refused':
          response.status(422).json({
            outcome: 'refused',
            message: outcome.message,
            ...(outcome.field === undefined ? {} : { field: outcome.field }),
            plan: read.view,
          });
      }
    });

  router.post(
    '/cases/:caseId/actions/:actionId/status',
    write((request, actor, caseId, at) => {
      const actionId = ZItemId.safeParse(request.params.actionId);
      const body = ZStatusBody.safeParse(request.body);
      if (!actionId.success || !body.success) return 'badRequest';
      return setActionStatus(flow, {
        caseId,
        etag: body.data.etag,
        actor,
        at,
        actionId: actionId.data,
        status: body.data.status,
      });
    }),
  );

  router.post(
    '/cases/:caseId/follow-ups/:followUpNo/notes',
    write((request, actor, caseId, at) => {
      const followUpNo = z.coerce.number().int().min(1).max(1000).safeParse(request.params.followUpNo);
      const body = ZNoteBody.safeParse(request.body);
      if (!followUpNo.success || !body.success) return 'badRequest';
      return addFollowUpNote(flow, {
        caseId,
        etag: body.data.etag,
        actor,
        at,
        followUpNo: followUpNo.data,
        text: body.data.text,
      });
    }),
  );

  router.get(
    '/cases/:caseId/family-copy',
    authenticated(async (request, response, user) => {
      const renderer = options.familyCopy;
      if (renderer === undefined) return sendError(response, 404, tabMessages.noFamilyCopy);
      const caseId = ZCaseId.safeParse(request.params.caseId);
      const language = z
        .string()
        .regex(/^[a-z]{2,3}$/)
        .safeParse(request.query.lang ?? 'sv');
      if (!caseId.success) return sendError(response, 404, tabMessages.notFound);
      if (!language.success || !renderer.languages.some((item) => item.code === language.data)) {
        return sendError(response, 400, tabMessages.badRequest);
      }
      const read = await readPlan(caseId.data, user, tabPurposes.familyCopy);
      logger.info(
        {
          route: 'family-copy',
          caseId: caseId.data,
          language: language.data,
          outcome: typeof read === 'string' ? read : 'shown',
        },
        'Familjens version av Barnets plan',
      );
      if (!answerRead(response, read)) return;
      const pdf = await renderer.render(read.view, language.data);
      response
        .type('application/pdf')
        // The file's name carries the case reference only, never the child.
        .set(
          'Content-Disposition',
          `attachment; filename="barnets-plan-${read.view.reference}-${language.data}.pdf"`,
        )
        .send(Buffer.from(pdf));
    }),
  );

  router.get('/family-copy/languages', (_request, response) => {
    response.json({ languages: options.familyCopy?.languages ?? [] });
  });

  router.use((_request, response) => sendError(response, 404, tabMessages.notFound));
  return router;
}

/** The caller as the use cases know an actor: the directory's name when it has one. */
function toActor(user: TabUser, flow: FlowDependencies): Actor {
  const contact = flow.directory.contacts.find((item) => item.aadObjectId === user.userId);
  return {
    userId: user.userId,
    tenantId: user.tenantId,
    displayName: contact?.displayName ?? user.name ?? 'Personal',
  };
}

/** "Ärendet BB-… är avslutat sedan 2026-12-03. …": the reference, the state and the Stockholm date only. */
function describeClosed(caseValue: Case): string {
  const closedAt =
    caseValue.chronology.findLast((entry) => entry.to === caseValue.state)?.at ?? caseValue.updatedAt;
  return `Ärendet ${caseValue.reference} är stängt (${stateLabels[caseValue.state].toLocaleLowerCase('sv-SE')}) sedan ${toStockholmDate(closedAt)}. Barnets plan visas inte längre i fliken.`;
}

function sendError(response: Response, status: number, message: string): void {
  response.status(status).set('Cache-Control', 'no-store').json({ error: message });
}
