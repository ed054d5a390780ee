/**
 * The tab's typed client of the bot's /api/tab. Every answer is parsed with zod before the page
 * sees it; the case is named by its opaque id only, and the token travels in the Authorization
 * header, never in the address.
 */
import { z } from 'zod';
import { type PlanView, ZPlanView } from '../../flows/kernel/records/plan-view.js';

export const ZSession = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('teams') }),
  z.object({
    mode: z.literal('local'),
    users: z.array(
      z.object({ userId: z.string().min(1), name: z.string().min(1), title: z.string().optional() }),
    ),
  }),
]);
export type Session = z.infer<typeof ZSession>;
export type LocalUser = Extract<Session, { mode: 'local' }>['users'][number];

const ZLocalToken = z.object({ token: z.string().min(1), expiresAt: z.string().min(1) });
const ZError = z.object({ error: z.string().min(1) });
const ZCaseIdAnswer = z.object({ caseId: z.string().min(1) });
const ZFamilyLanguages = z.object({
  languages: z.array(z.object({ code: z.string().regex(/^[a-z]{2,3}$/), name: z.string().min(1) })),
});
export type FamilyLanguage = z.infer<typeof ZFamilyLanguages>['languages'][number];

export const ZWriteAnswer = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('saved'), message: z.string(), plan: ZPlanView }),
  z.object({ outcome: z.literal('stale'), message: z.string(), plan: ZPlanView }),
  z.object({
    outcome: z.literal('refused'),
    message: z.string(),
    field: z.string().optional(),
    plan: ZPlanView,
  }),
]);
export type WriteAnswer = z.infer<typeof ZWriteAnswer>;

export type ApiFailure = { readonly kind: 'failure'; readonly status: number; readonly message: string };
export type Answer<T> = { readonly kind: 'ok'; readonly value: T } | ApiFailure;

const fallbackMessages: Readonly<Record<number, string>> = {
  401: 'Du är inte inloggad. Öppna fliken i Teams igen.',
  403: 'Du har ingen roll i det här barnets plan.',
  404: 'Planen finns inte.',
};
const unreadable = 'Svaret från servern kunde inte läsas. Försök igen om en stund.';

export type TokenSource = () => Promise<string>;

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

async function toFailure(response: Response): Promise<ApiFailure> {
  const body = ZError.safeParse(await readJson(response));
  return {
    kind: 'failure',
    status: response.status,
    message: body.success ? body.data.error : (fallbackMessages[response.status] ?? unreadable),
  };
}

async function send(path: string, token: TokenSource | undefined, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set('Authorization', `Bearer ${await token()}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return fetch(`/api/tab${path}`, { ...init, headers, cache: 'no-store', credentials: 'omit' });
}

async function parsed<T>(response: Response, schema: z.ZodType<T>): Promise<Answer<T>> {
  if (!response.ok) return toFailure(response);
  const body = schema.safeParse(await readJson(response));
  return body.success
    ? { kind: 'ok', value: body.data }
    : { kind: 'failure', status: 0, message: unreadable };
}

function networkFailure(): ApiFailure {
  return { kind: 'failure', status: 0, message: 'Servern svarar inte. Försök igen om en stund.' };
}

async function guarded<T>(run: () => Promise<Answer<T>>): Promise<Answer<T>> {
  try {
    return await run();
  } catch {
    return networkFailure();
  }
}

export function readSession(): Promise<Answer<Session>> {
  return guarded(async () => parsed(await send('/session', undefined), ZSession));
}

export function requestLocalToken(userId: string): Promise<Answer<{ token: string; expiresAt: string }>> {
  return guarded(async () =>
    parsed(
      await send('/local-token', undefined, { method: 'POST', body: JSON.stringify({ userId }) }),
      ZLocalToken,
    ),
  );
}

export function readPlan(caseId: string, token: TokenSource): Promise<Answer<PlanView>> {
  return guarded(async () =>
    parsed(await send(`/cases/${encodeURIComponent(caseId)}/plan`, token), ZPlanView),
  );
}

export function findCaseByReference(reference: string, token: TokenSource): Promise<Answer<string>> {
  return guarded(async () => {
    const answer = await parsed(
      await send(`/cases/by-reference/${encodeURIComponent(reference)}`, token),
      ZCaseIdAnswer,
    );
    return answer.kind === 'ok' ? { kind: 'ok', value: answer.value.caseId } : answer;
  });
}

/** 200, 409 and 422 all carry the plan as it is now; anything else is a failure without one. */
async function write(path: string, token: TokenSource, body: unknown): Promise<Answer<WriteAnswer>> {
  return guarded(async () => {
    const response = await send(path, token, { method: 'POST', body: JSON.stringify(body) });
    if (![200, 409, 422].includes(response.status)) return toFailure(response);
    const answer = ZWriteAnswer.safeParse(await readJson(response));
    return answer.success
      ? { kind: 'ok', value: answer.data }
      : { kind: 'failure', status: response.status, message: unreadable };
  });
}

export function setActionStatus(
  caseId: string,
  actionId: string,
  etag: string,
  status: 'pagar' | 'genomford' | 'installd',
  token: TokenSource,
): Promise<Answer<WriteAnswer>> {
  return write(`/cases/${encodeURIComponent(caseId)}/actions/${encodeURIComponent(actionId)}/status`, token, {
    etag,
    status,
  });
}

export function addFollowUpNote(
  caseId: string,
  followUpNo: number,
  etag: string,
  text: string,
  token: TokenSource,
): Promise<Answer<WriteAnswer>> {
  return write(`/cases/${encodeURIComponent(caseId)}/follow-ups/${followUpNo}/notes`, token, { etag, text });
}

/** The languages the server can write the family's copy in; none when it cannot write one. */
export function readFamilyLanguages(): Promise<Answer<FamilyLanguage[]>> {
  return guarded(async () => {
    const answer = await parsed(await send('/family-copy/languages', undefined), ZFamilyLanguages);
    return answer.kind === 'ok' ? { kind: 'ok', value: answer.value.languages } : answer;
  });
}

export function downloadFamilyCopy(caseId: string, lang: string, token: TokenSource): Promise<Answer<Blob>> {
  return guarded(async () => {
    const response = await send(
      `/cases/${encodeURIComponent(caseId)}/family-copy?lang=${encodeURIComponent(lang)}`,
      token,
    );
    if (!response.ok) return toFailure(response);
    const type = response.headers.get('Content-Type') ?? '';
    if (!type.startsWith('application/pdf')) return { kind: 'failure', status: 0, message: unreadable };
    return { kind: 'ok', value: await response.blob() };
  });
}
