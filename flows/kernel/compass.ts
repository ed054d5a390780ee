/**
 * Behovskompassen: the eight wellbeing areas every card, form, chart and plan is scaled on.
 * The order and wording are fixed by the model (see docs/domain.md); staff refer to areas by
 * colour ("den rosa"), so each colour is part of the definition and must never be reassigned.
 */
import { z } from 'zod';

export const compassAreaKeys = [
  'omsorg',
  'trygghet',
  'maBra',
  'fritid',
  'tillhorighet',
  'ansvar',
  'respekteras',
  'utvecklas',
] as const;

export const ZCompassAreaKey = z.enum(compassAreaKeys);
export type CompassAreaKey = z.infer<typeof ZCompassAreaKey>;

export interface CompassArea {
  readonly key: CompassAreaKey;
  /** The area's Swedish name as the model writes it. */
  readonly name: string;
  /** The sentence the child says about the area ("Jag ..."). */
  readonly childWords: string;
  /** Stable display colour (hex), used on every card, chart and tab. */
  readonly colour: string;
}

export const compassAreas: readonly CompassArea[] = Object.freeze([
  { key: 'omsorg', name: 'Omsorg', childWords: 'Jag har någon som bryr sig om mig', colour: '#E8559A' },
  { key: 'trygghet', name: 'Trygghet', childWords: 'Jag känner mig trygg', colour: '#F28C28' },
  { key: 'maBra', name: 'Må bra', childWords: 'Jag mår bra', colour: '#E5B700' },
  { key: 'fritid', name: 'Fritid', childWords: 'Jag trivs med min fritid', colour: '#5BAF3C' },
  { key: 'tillhorighet', name: 'Tillhörighet', childWords: 'Jag får vara med', colour: '#1E9E8F' },
  {
    key: 'ansvar',
    name: 'Ansvar',
    childWords: 'Jag tar ansvar för mig själv och andra',
    colour: '#2F7FD0',
  },
  { key: 'respekteras', name: 'Respekteras', childWords: 'Jag känner mig respekterad', colour: '#6C4BC1' },
  { key: 'utvecklas', name: 'Utvecklas', childWords: 'Jag gör mitt bästa', colour: '#8B5A2B' },
]);

/** Looks up an area by key; the key type guarantees it exists. */
export function findCompassArea(key: CompassAreaKey): CompassArea {
  const area = compassAreas.find((candidate) => candidate.key === key);
  if (!area) throw new Error(`Okänt område i Behovskompassen: ${key}`);
  return area;
}
