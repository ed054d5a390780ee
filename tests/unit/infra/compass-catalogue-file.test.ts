import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDeepCompassSubArea } from '../../../flows/individuellt-barnteam/deep-compass-catalogue.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import {
  CompassCatalogueFileError,
  loadCompassCatalogueFile,
  parseCompassCatalogueText,
} from '../../../infra/compass-catalogue-file.js';

const samplePath = path.join(import.meta.dirname, '../../../config/fordjupad-behovskompass.sample.yaml');

describe('the Fördjupad behovskompass catalogue file', () => {
  it('ships a sample that is valid, covers the eight areas in order and says it is an example', () => {
    const catalogue = loadCompassCatalogueFile(samplePath);
    expect(catalogue.example).toBe(true);
    expect(catalogue.areas.map((entry) => entry.area)).toEqual([...compassAreaKeys]);
    expect(
      catalogue.areas.flatMap((entry) => entry.subAreas).every((item) => item.name.startsWith('Exempel')),
    ).toBe(true);
    expect(findDeepCompassSubArea(catalogue, 'trygghet-hemma')?.aspects).toHaveLength(1);
  });

  it('names each problem with its line and field, in Swedish', () => {
    const text = [
      'version: Test',
      'areas:',
      '  - area: omsorg',
      '    subAreas:',
      '      - id: Omsorg 1',
      '        name: Grundläggande behov',
      '        aspects: []',
    ].join('\n');
    let problems: readonly string[] = [];
    try {
      parseCompassCatalogueText(text, 'katalog.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(CompassCatalogueFileError);
      problems = (error as CompassCatalogueFileError).problems;
    }
    expect(problems).toEqual([
      'katalog.yaml:2: areas: Katalogen ska ha Behovskompassens alla åtta områden',
      'katalog.yaml:5: areas[0].subAreas[0].id: Id får bara innehålla små bokstäver a–z, siffror och bindestreck',
      'katalog.yaml:7: areas[0].subAreas[0].aspects: Listan får inte vara tom',
    ]);
  });
});
