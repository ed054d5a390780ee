import { describe, expect, it } from 'vitest';
import {
  type BehovUppfylltCardData,
  behovUppfylltInputIds,
  renderBehovUppfyllt,
} from '../../../cards/behov-uppfyllt/behov-uppfyllt.js';
import { renderTeamkanalStatus } from '../../../cards/teamkanal/teamkanal-status.js';
import { sampleCase } from '../../fixtures/samtal-barnteam-card-samples.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

function buildData(overrides: Partial<BehovUppfylltCardData> = {}): BehovUppfylltCardData {
  return {
    caseId: sampleCase.caseId,
    etag: sampleCase.etag,
    reference: sampleCase.reference,
    child: sampleCase.child,
    origin: 'beslut',
    ...overrides,
  };
}

describe('renderBehovUppfyllt', () => {
  it('asks the four principles and the closing compass of the child, the guardian and the team', () => {
    const card = renderBehovUppfyllt(buildData());
    expect(findCardProblems(card, { allowedVerbs: ['avslut.spara'] })).toEqual([]);
    expect(listInputs(card).map((input) => input.id)).toEqual([...behovUppfylltInputIds]);
    const principles = listInputs(card).filter((input) => String(input.id).startsWith('principle_'));
    expect(principles.map((input) => input.label)).toEqual([
      'Är barnets bästa i fokus?',
      'Är detta tidig insats eller kunde vi gjort mer tidigare i barnets liv?',
      'Värnar vi nu om hela barnets situation eller bara den del vi är ansvarig för?',
      'Har vi en gemensam plan?',
    ]);
    for (const rater of ['barnet', 'vardnadshavare', 'teamet']) {
      expect(listInputs(card).filter((input) => String(input.id).startsWith(`${rater}_`))).toHaveLength(8);
    }
    const text = readCardText(card);
    for (const heading of [
      'Barnet',
      'Vårdnadshavare',
      'Teamet',
      'Avslutande uppföljning med Behovskompassen',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('Upptäckaren får veta att det är avslutat, inte varför');
    expect(listExecuteActions(card)).toEqual([
      expect.objectContaining({
        title: 'Avsluta ärendet',
        verb: 'avslut.spara',
        data: { caseId: sampleCase.caseId, etag: sampleCase.etag },
      }),
    ]);
  });

  it('says where the closing comes from: the talks, or the plan and its team', () => {
    expect(readCardText(renderBehovUppfyllt(buildData()))).toContain('efter samtalen');
    expect(readCardText(renderBehovUppfyllt(buildData({ origin: 'plan' })))).toContain(
      'sedan avslutas ärendet och det Individuella barnteamet',
    );
  });

  it('comes back with what was chosen and the error under the area left out', () => {
    const card = renderBehovUppfyllt(
      buildData({
        values: { principle_barnetsBasta: 'ja', barnet_omsorg: '4', note: 'Klart' },
        fieldErrors: { barnet_fritid: 'Skatta alla åtta områden för den som skattar.' },
      }),
    );
    const byId = (id: string) => listInputs(card).find((input) => input.id === id);
    expect(byId('principle_barnetsBasta')?.value).toBe('ja');
    expect(byId('barnet_omsorg')?.value).toBe('4');
    expect(byId('note')?.value).toBe('Klart');
    expect(findElementAfterInput(card, 'barnet_fritid')).toMatchObject({
      text: 'Skatta alla åtta områden för den som skattar.',
      color: 'attention',
    });
  });
});

describe('the team channel’s last post of a closed case', () => {
  it('says the team and the case are closed, with no button and no details', () => {
    const card = renderTeamkanalStatus({
      caseId: sampleCase.caseId,
      reference: sampleCase.reference,
      event: 'arendetAvslutat',
      tabUrl: 'https://teams.microsoft.com/l/entity/app/barnets-plan',
    });
    expect(findCardProblems(card, { allowedVerbs: [] })).toEqual([]);
    expect(readCardText(card)).toContain('Individuellt barnteam har avslutats och ärendet är avslutat.');
    expect(readCardText(card)).not.toContain(sampleCase.child.givenName);
    expect(listExecuteActions(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('teams.microsoft.com');
  });
});
