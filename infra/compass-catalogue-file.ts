/**
 * Reads the municipality's catalogue of the Fördjupad behovskompass (sub-areas and aspects) from a
 * YAML file at start-up, like the directory: every problem at once as
 * `<file>:<line>: <field>: <Swedish message>`, so whoever maintains the material fixes it in one go.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import {
  type DeepCompassCatalogue,
  ZDeepCompassCatalogue,
} from '../flows/individuellt-barnteam/deep-compass-catalogue.js';
import { findLine, formatPath, swedishErrorMap } from './directory-file.js';

export class CompassCatalogueFileError extends Error {
  override readonly name = 'CompassCatalogueFileError';

  constructor(
    readonly sourceName: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Katalogen för Fördjupad behovskompass ${sourceName} kan inte användas (${problems.length} fel):\n${problems.join('\n')}`,
    );
  }
}

/** Reads and validates the catalogue file at `path`; throws `CompassCatalogueFileError`. */
export function loadCompassCatalogueFile(path: string): DeepCompassCatalogue {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CompassCatalogueFileError(path, [
      code === 'ENOENT'
        ? `${path}: Filen finns inte. Kontrollera sökvägen (miljövariabeln DEEP_COMPASS_FILE).`
        : `${path}: Filen kunde inte läsas (${code ?? 'okänt fel'}).`,
    ]);
  }
  return parseCompassCatalogueText(text, path);
}

export function parseCompassCatalogueText(text: string, sourceName: string): DeepCompassCatalogue {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new CompassCatalogueFileError(
      sourceName,
      document.errors.map(
        (error) => `${sourceName}:${lineCounter.linePos(error.pos[0]).line}: YAML-syntax: ${error.code}`,
      ),
    );
  }
  const result = ZDeepCompassCatalogue.safeParse(document.toJS(), { errorMap: swedishErrorMap });
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const line = findLine(document.contents, issue.path, lineCounter);
    return { line, text: `${sourceName}:${line}: ${formatPath(issue.path)}: ${issue.message}` };
  });
  lines.sort((a, b) => a.line - b.line);
  throw new CompassCatalogueFileError(
    sourceName,
    lines.map((line) => line.text),
  );
}
