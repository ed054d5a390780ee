/**
 * Den gyllene regeln vid informationsdelning: shown wherever Barnets plan is shown (the evaluation
 * asks for it with the plan; the wording is the model's). One text, so that the card, the tab and
 * the family's copy cannot drift apart.
 */
export const goldenRule =
  'All information som delas måste vara nödvändig, relevant och proportionerlig. Den information som inte ryms i detta delas inte med någon annan.';
