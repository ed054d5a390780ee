// biome-ignore-all lint/suspicious/noTemplateCurlyInString: user text containing ${…} is the input under test
import { describe, expect, it } from 'vitest';
import { barnteamPaminnelseVerb } from '../../../cards/barnteam/barnteam-paminnelse.js';
import {
  type GemensamBehovskompassData,
  registerForMemberVerb,
  renderGemensamBehovskompass,
} from '../../../cards/barnteam/gemensam-behovskompass.js';
import { CardRenderError } from '../../../cards/render-template.js';
import { computeJointCompass } from '../../../flows/barnteam/joint-assessment.js';
import {
  bindingLookalike,
  sampleCase,
  sampleJointCompass,
  sampleMeeting,
  sampleSkattningAnswers,
} from '../../fixtures/samtal-barnteam-card-samples.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = ['barnteam.utfall', 'samtycke.visa'];
// A member's comment on Trygghet holds "${okänt}": it must come out as typed.
const typedComment = 'Hon säger att hon är rädd på vägen hem – ${okänt}.';

function buildData(overrides: Partial<GemensamBehovskompassData> = {}): GemensamBehovskompassData {
  return {
    meetingId: sampleMeeting.meetingId,
    caseId: sampleCase.caseId,
    etag: sampleMeeting.etag,
    reference: sampleCase.reference,
    initials: sampleCase.initials,
    timeLabel: sampleMeeting.label,
    joint: sampleJointCompass,
    ...overrides,
  };
}

const validation = { allowedVerbs, literalUserTexts: [typedComment] };

function findImage(card: unknown, predicate: (image: Record<string, unknown>) => boolean) {
  const images: Record<string, unknown>[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record.type === 'Image' && predicate(record)) images.push(record);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return images;
}

describe('renderGemensamBehovskompass', () => {
  it('renders a valid card with the chart image and its alt text', () => {
    const card = renderGemensamBehovskompass(buildData());
    expect(findCardProblems(card, validation)).toEqual([]);
    const [chart] = findImage(card, (image) => image.size === 'stretch');
    expect(String(chart?.url)).toMatch(/^data:image\/png;base64,/);
    expect(String(chart?.altText)).toContain(
      'Gemensam behovskompass, medelvärde (lägsta–högsta) per område: Omsorg 2,0 (1–3)',
    );
    expect(readCardText(card)).toContain('▼ lågt skattat · ↕ stor oenighet');
  });

  it('stays under the ~28 KB Teams accepts for a message, with the chart and every area dot', () => {
    const bytes = Buffer.byteLength(JSON.stringify(renderGemensamBehovskompass(buildData())), 'utf8');
    expect(bytes).toBeLessThan(28 * 1024);
  });

  it('shows per area the mean and spread, the flags, the raters and the comments with role', () => {
    const text = readCardText(renderGemensamBehovskompass(buildData()));
    expect(text).toContain('Skattat av');
    expect(text).toContain('3 medlemmar');
    // Trygghet rated 1, 4, 2: mean 2,3, spread 3 → Oenighet.
    expect(text).toContain('2,3 (1–4)');
    expect(text).toContain(' · Oenighet');
    // Omsorg rated 2, 3, 1: mean 2,0 → Låg.
    expect(text).toContain('2,0 (1–3)');
    expect(text).toContain(' · Låg');
    // Respekteras: one member answered vet ej.
    expect(text).toContain('2 skattningar, 1 vet ej');
    expect(text).toContain('Elevhälsan (Kim Berg), 😐 3: ');
    expect(text).toContain('Elevhälsan (Kim Berg), 🙂 4: ');
    expect(text).toContain('Elevhälsan (Kim Berg), 😢 1: ');
    expect(text).toContain(typedComment);
    for (const name of [
      'Omsorg',
      'Trygghet',
      'Må bra',
      'Fritid',
      'Tillhörighet',
      'Ansvar',
      'Respekteras',
      'Utvecklas',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('lists the areas to talk about first, low before disagreement', () => {
    const card = renderGemensamBehovskompass(buildData());
    const text = readCardText(card);
    const first = text.indexOf('Prata först om');
    const perArea = text.indexOf('Per område');
    const prioritised = text.slice(first, perArea);
    expect(sampleJointCompass.prioritised).toEqual(['maBra', 'omsorg', 'trygghet']);
    expect(prioritised.indexOf('Må bra')).toBeLessThan(prioritised.indexOf('Omsorg'));
    expect(prioritised.indexOf('Omsorg')).toBeLessThan(prioritised.indexOf('Trygghet'));
    expect(prioritised).toContain('Må bra\n – 1,7 (1–2)\n – Låg');
    expect(prioritised).toContain('Trygghet\n – 2,3 (1–4)\n – Oenighet');
    expect(prioritised).not.toContain('Fritid');
    expect(prioritised).not.toContain('Tillhörighet');

    const calm = computeJointCompass(
      sampleSkattningAnswers.map((answer) => ({
        ...answer,
        areas: answer.areas.map((area) => ({ key: area.key, rating: 4 })),
      })),
    );
    expect(readCardText(renderGemensamBehovskompass(buildData({ joint: calm })))).toContain(
      'Inget område är lågt skattat eller har stor oenighet.',
    );
  });

  it('records the outcome: support, by whom and follow-up, or an Individuellt barnteam', () => {
    const card = renderGemensamBehovskompass(buildData());
    expect(listInputs(card).map((input) => [input.id, input.isRequired])).toEqual([
      ['proposedSupport', true],
      ['supportBy', true],
      ['followUpDate', true],
    ]);
    const ids = { meetingId: sampleMeeting.meetingId, caseId: sampleCase.caseId, etag: sampleMeeting.etag };
    const actions = listExecuteActions(card);
    expect(actions.map((action) => [action.verb, action.title, action.data])).toEqual([
      ['barnteam.utfall', 'Spara utfall', { ...ids, outcome: 'stod' }],
      ['barnteam.utfall', 'Starta Individuellt barnteam', { ...ids, outcome: 'individuelltBarnteam' }],
    ]);
    expect(actions[1]).toMatchObject({ associatedInputs: 'none', isEnabled: true });
    expect(readCardText(card)).toContain('Utfall för E.Å. (BB-4K7Q-2M9C)');
  });

  it('shows Starta Individuellt barnteam disabled, with the reason, without updated consent', () => {
    const reason =
      'Uppdaterat skriftligt samtycke saknas: registrera det innan ett Individuellt barnteam startas.';
    const card = renderGemensamBehovskompass(buildData({ individuelltBarnteamBlockedReason: reason }));
    expect(findCardProblems(card, validation)).toEqual([]);
    expect(listExecuteActions(card)[1]).toMatchObject({
      title: 'Starta Individuellt barnteam',
      isEnabled: false,
    });
    const text = readCardText(card);
    expect(text).toContain('Starta Individuellt barnteam kan inte väljas ännu');
    expect(text).toContain(reason);
    expect(listExecuteActions(card).map((action) => action.title)).not.toContain('Samtycke');
  });

  it('offers the Samtycke card next to the reason to a viewer who may record the consent', () => {
    const reason =
      'Uppdaterat skriftligt samtycke saknas: registrera det innan ett Individuellt barnteam startas.';
    const blocked = renderGemensamBehovskompass(
      buildData({ individuelltBarnteamBlockedReason: reason, consentButton: true }),
    );
    expect(findCardProblems(blocked, validation)).toEqual([]);
    expect(listExecuteActions(blocked).find((action) => action.title === 'Samtycke')).toMatchObject({
      verb: 'samtycke.visa',
      data: { caseId: buildData().caseId },
      associatedInputs: 'none',
    });
    // Once the consent is there, the button goes with the reason.
    const open = renderGemensamBehovskompass(buildData({ consentButton: true }));
    expect(listExecuteActions(open).map((action) => action.title)).not.toContain('Samtycke');
  });

  it('comes back with typed values and errors under their fields, user text literal', () => {
    const support = `Samtalsstöd hos skolkuratorn varje vecka. ${bindingLookalike}`;
    const values = {
      proposedSupport: support,
      supportBy: 'Elevhälsan, skolkurator',
      followUpDate: '2026-05-05',
    };
    const fieldErrors = { followUpDate: 'Uppföljningsdatumet ska ligga efter mötet.' };
    const card = renderGemensamBehovskompass(buildData({ values, fieldErrors }));
    expect(findCardProblems(card, { ...validation, literalUserTexts: [typedComment, support] })).toEqual([]);
    for (const [id, value] of Object.entries(values)) {
      expect(listInputs(card).find((input) => input.id === id)?.value, id).toBe(value);
    }
    expect(findElementAfterInput(card, 'followUpDate')).toMatchObject({
      text: fieldErrors.followUpDate,
      color: 'attention',
    });
    expect(findElementAfterInput(card, 'supportBy')?.color).not.toBe('attention');
  });

  it('shows the child by initials and reference only, and refuses a compass without eight areas', () => {
    const json = JSON.stringify(renderGemensamBehovskompass(buildData()));
    expect(json).toContain('E.Å. (BB-4K7Q-2M9C)');
    expect(() => renderGemensamBehovskompass(buildData({ initials: 'Ella' }))).toThrow(CardRenderError);
    expect(() =>
      renderGemensamBehovskompass(
        buildData({ joint: { ...sampleJointCompass, areas: sampleJointCompass.areas.slice(1) } }),
      ),
    ).toThrow(CardRenderError);
  });
});

describe('renderGemensamBehovskompass: who has rated', () => {
  const raters: GemensamBehovskompassData['raters'] = [
    {
      key: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02',
      name: 'Maria Lind',
      role: 'Barnkontakt, sammankallande',
      status: 'egen',
      canRecord: false,
    },
    {
      key: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e24',
      name: 'Peter Sandberg',
      role: 'Hälso- och sjukvården',
      kindLabel: 'gäst i kommunens Teams',
      status: 'saknas',
      canRecord: true,
    },
    {
      key: 'kontakt:kommunpolis-exempelby',
      name: 'Anna Berg',
      role: 'Polisen',
      kindLabel: 'utanför Teams, nås via e-post',
      status: 'registrerad',
      recordedByName: 'Maria Lind',
      canRecord: true,
    },
  ];
  const withRegistering = { ...validation, allowedVerbs: [...allowedVerbs, registerForMemberVerb] };

  it('lists each person of the meeting with their answer, and offers the convener to record for the rest', () => {
    const card = renderGemensamBehovskompass(buildData({ raters }));
    expect(findCardProblems(card, withRegistering)).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Vilka som har skattat');
    expect(text).toContain('Barnkontakt, sammankallande: Maria Lind\n – har skattat');
    expect(text).toContain(
      'Hälso- och sjukvården: Peter Sandberg (gäst i kommunens Teams)\n – har inte skattat',
    );
    expect(text).toContain(
      'Polisen: Anna Berg (utanför Teams, nås via e-post)\n – registrerad av Maria Lind för Anna Berg',
    );
    const ids = { meetingId: sampleMeeting.meetingId, caseId: sampleCase.caseId };
    const registering = listExecuteActions(card).filter((action) => action.verb === registerForMemberVerb);
    expect(registering.map((action) => [action.title, action.data, action.associatedInputs])).toEqual([
      ['Registrera skattning för Peter Sandberg', { ...ids, forMember: raters[1]?.key }, 'none'],
      ['Ändra registrerad skattning för Anna Berg', { ...ids, forMember: raters[2]?.key }, 'none'],
    ]);
    // The reminder's button opens the same form.
    expect(registerForMemberVerb).toBe(barnteamPaminnelseVerb);
  });

  it('offers no recording to a member, and tells the convener before the meeting’s day when it opens', () => {
    const asMember = raters.map((rater) => ({ ...rater, canRecord: false }));
    const member = renderGemensamBehovskompass(buildData({ raters: asMember }));
    expect(listExecuteActions(member).some((action) => action.verb === registerForMemberVerb)).toBe(false);
    expect(readCardText(member)).not.toContain('Från mötesdagen');

    const early = renderGemensamBehovskompass(buildData({ raters: asMember, onBehalfOpensOn: '2026-04-07' }));
    expect(findCardProblems(early, withRegistering)).toEqual([]);
    expect(readCardText(early)).toContain(
      'Från mötesdagen, 7 april 2026, kan du registrera skattningen för en medlem som inte har lämnat någon',
    );
  });

  it('says who recorded a comment the convener typed in for a member', () => {
    // Kim Berg's answer holds the comments; Maria Lind typed it in for Kim.
    const answers = sampleSkattningAnswers.map((answer) =>
      answer.rater.displayName === 'Kim Berg'
        ? { ...answer, recordedBy: { userId: raters[0]?.key ?? '', displayName: 'Maria Lind' } }
        : answer,
    );
    const text = readCardText(
      renderGemensamBehovskompass(buildData({ joint: computeJointCompass(answers) })),
    );
    expect(text).toContain('Elevhälsan (Kim Berg, registrerad av Maria Lind), 😐 3: ');
  });
});
