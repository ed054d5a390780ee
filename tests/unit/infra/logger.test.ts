import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskIdentityNumbers } from '../../../infra/logger.js';

const personnummer = '20150312-1234';
const childName = 'Lisa Testsson';

function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', destination }), lines };
}

describe('the logger', () => {
  // A name in free text cannot be recognised; names are kept out by the keys they travel under.
  it('keeps a personnummer and a child name out of every place a log call can put them', () => {
    const { logger, lines } = captureLogger();

    logger.info(`Nytt upptäckarkort för ${personnummer}`);
    logger.info('Barn med nummer %s', '201503121234');
    logger.info({ caseId: 'c-1', verb: 'fileDiscovery', note: `pnr ${personnummer}` }, 'kort inskickat');
    logger.warn({ child: { name: childName, identityNumber: personnummer } }, 'validering');
    logger.info({ activity: { text: `hej ${childName}`, value: { childName, pnr: personnummer } } }, 'turn');
    logger.info({ givenName: 'Lisa', familyName: 'Testsson', nested: { deep: { list: [personnummer] } } });
    logger.info({ headers: { authorization: 'Bearer abc.def.ghi' } }, 'request');
    logger.error(new Error(`Ogiltigt personnummer ${personnummer}`));
    logger.error({ err: new Error(`kunde inte spara ${personnummer}`) }, 'fel');
    logger.child({ caseId: 'c-2', note: personnummer }).info('från ett barn-loggar');
    logger
      .child({ child: { name: childName } })
      .child({ caseId: 'c-3' })
      .info('barnbarn');
    logger.info({ asNumber: 201503121234 }, 'numeriskt');

    const output = lines.join('\n');
    expect(lines).toHaveLength(12);
    expect(output).not.toContain('1234');
    expect(output).not.toContain('20150312');
    expect(output).not.toContain('Lisa');
    expect(output).not.toContain('Testsson');
    expect(output).not.toContain('abc.def.ghi');
    // The ids the logs exist for are kept.
    expect(output).toContain('"caseId":"c-1"');
    expect(output).toContain('"verb":"fileDiscovery"');
    expect(output).toContain('"caseId":"c-2"');
    expect(output).toContain('Ogiltigt personnummer [personnummer]');
  });

  it('writes structured JSON lines with the level as a label', () => {
    const { logger, lines } = captureLogger();
    const userId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e01';
    logger.info({ activityId: 'a-1', tenantId: '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99', userId }, 'tur klar');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', msg: 'tur klar', activityId: 'a-1', userId });
  });
});

describe('maskIdentityNumbers', () => {
  it.each([
    ['8112189876', '[personnummer]'],
    ['811218-9876', '[personnummer]'],
    ['811218+9876', '[personnummer]'],
    ['198112189876', '[personnummer]'],
    ['19811218-9876', '[personnummer]'],
    ['samordningsnr 811278-9876.', 'samordningsnr [personnummer].'],
  ])('masks %s', (input, expected) => {
    expect(maskIdentityNumbers(input)).toBe(expected);
  });

  it('leaves UUIDs, dates and short numbers alone', () => {
    const text = 'user 20150312-1234-4d5e-8f70-123456789012 on 2025-03-12, 3 kort, år 2025';
    expect(maskIdentityNumbers(text)).toBe(text);
  });
});
