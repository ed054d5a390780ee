/**
 * Turning a routing decision into roles in the case. Access follows roles (access.ts), so who
 * gets a `barnkontakt` or `ersattare` entry decides who may see and answer the card:
 * - routed to a unit's Barnkontakt: that person is Barnkontakt;
 * - routed to a deputy because the Barnkontakt is away: the Barnkontakt keeps the role (they may
 *   answer when back) and the deputy acts for them as `ersattare`;
 * - routed to the fallback: the fallback contact is Barnkontakt until they forward the card to
 *   the right unit (and their own deputy acts for them when they are away).
 */
import { endRole, isRoleActive, withRole } from '../kernel/access.js';
import type { Case, Instant, RoutingOutcome, UserId } from '../kernel/case.js';
import { type Contact, type Directory, findContact, findUnit, isContactAway } from '../kernel/directory.js';
import { DomainError } from '../kernel/errors.js';

export interface RoutingChange {
  readonly by: UserId;
  readonly at: Instant;
  readonly cause: 'upptackarkort' | 'skickaVidare';
}

/** The Barnkontakt (or fallback contact) and deputies, in order, behind a routing decision. */
export function findContactsBehind(
  routing: Pick<RoutingOutcome, 'unitId' | 'viaFallback'>,
  directory: Directory,
): { readonly main: Contact; readonly deputies: readonly Contact[] } {
  const ids = routing.viaFallback
    ? { main: directory.fallback.contact, deputies: directory.fallback.deputies }
    : {
        main: findUnit(directory, routing.unitId)?.barnkontakt,
        deputies: findUnit(directory, routing.unitId)?.deputies ?? [],
      };
  const main = ids.main === undefined ? undefined : findContact(directory, ids.main);
  if (main === undefined) {
    throw new DomainError('routingImpossible', 'Enheten har ingen Barnkontakt i katalogen.', {
      unitId: routing.unitId,
    });
  }
  const deputies = ids.deputies.flatMap((id) => findContact(directory, id) ?? []);
  return { main, deputies };
}

/**
 * Records a routing decision: ends the roles of the previous Barnkontakt and of deputies acting
 * for them, adds the new Barnkontakt (and deputy), and appends the decision to the history.
 */
export function assignRouting(
  caseValue: Case,
  routing: RoutingOutcome,
  directory: Directory,
  change: RoutingChange,
): Case {
  const roleChange = { actor: change.by, at: change.at };
  let next = caseValue;
  for (const role of caseValue.roles) {
    if (isRoleActive(role) && (role.role === 'barnkontakt' || role.role === 'ersattare')) {
      next = endRole(next, { userId: role.userId, role: role.role }, roleChange);
    }
  }
  const { main } = findContactsBehind(routing, directory);
  const barnkontakt = routing.viaDeputy ? main : undefined;
  if (barnkontakt === undefined) {
    next = withRole(
      next,
      {
        userId: routing.contactUserId,
        role: 'barnkontakt',
        displayName: routing.contactDisplayName ?? 'Barnkontakt',
        unitId: routing.unitId,
        since: change.at,
      },
      roleChange,
    );
  } else {
    next = withRole(
      next,
      {
        userId: barnkontakt.aadObjectId,
        role: 'barnkontakt',
        displayName: barnkontakt.displayName,
        unitId: routing.unitId,
        since: change.at,
      },
      roleChange,
    );
    next = withRole(
      next,
      {
        userId: routing.contactUserId,
        role: 'ersattare',
        displayName: routing.contactDisplayName ?? 'Ersättare',
        unitId: routing.unitId,
        since: change.at,
        actingFor: barnkontakt.aadObjectId,
      },
      roleChange,
    );
  }
  const history = caseValue.routingHistory ?? [];
  return {
    ...next,
    routing,
    routingHistory: [
      ...history,
      { routingNo: history.length + 1, routing, by: change.by, at: change.at, cause: change.cause },
    ],
  };
}

/**
 * Routes a forwarded card straight to the chosen unit's Barnkontakt (or its first deputy who is
 * not away). The forwarding Barnkontakt knows the child's unit better than the age bands do, so
 * the band rules are not applied again; the band of the first decision is kept.
 *
 * @throws DomainError('invalidInput') for an unknown unit, a unit without Barnkontakt, or the
 *   unit the card is already routed to.
 */
export function routeForward(
  caseValue: Case,
  targetUnitId: string,
  directory: Directory,
  decisionDate: string,
): RoutingOutcome {
  const unit = findUnit(directory, targetUnitId);
  if (unit === undefined || unit.barnkontakt === undefined) {
    throw new DomainError('invalidInput', 'Välj en enhet som har en Barnkontakt i kommunens katalog.', {
      field: 'targetUnitId',
    });
  }
  if (
    caseValue.routing !== undefined &&
    !caseValue.routing.viaFallback &&
    caseValue.routing.unitId === unit.id
  ) {
    throw new DomainError('invalidInput', `Ärendet ligger redan hos ${unit.name}. Välj en annan enhet.`, {
      field: 'targetUnitId',
    });
  }
  const { main, deputies } = findContactsBehind({ unitId: unit.id, viaFallback: false }, directory);
  const available = [main, ...deputies].find((contact) => !isContactAway(contact, decisionDate));
  const chosen = available ?? main;
  const viaDeputy = chosen !== main;
  const handover = viaDeputy
    ? `Barnkontakten ${main.displayName} är frånvarande; kortet går till ersättaren ${chosen.displayName}.`
    : `Barnkontakt är ${chosen.title.toLowerCase()} ${chosen.displayName}.`;
  return {
    band: caseValue.routing?.band ?? 'utanforBand',
    unitId: unit.id,
    contactUserId: chosen.aadObjectId,
    contactDisplayName: chosen.displayName,
    contactTitle: chosen.title,
    viaDeputy,
    viaFallback: false,
    reason: `Kortet skickades vidare till ${unit.name}. ${handover}`,
    decidedOn: decisionDate,
  };
}
