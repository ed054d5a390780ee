// Every card any test renders is checked against the template engine's full expansion
// (cards/render-template.ts fills cards in from a shape of their data).
import { compareCardShapesWithFullExpansion } from '../cards/render-template.js';

compareCardShapesWithFullExpansion(true);
