/**
 * Reads the family copy's catalogue directory at start: every `<code>.yaml` in it is a language.
 * A municipality adds a language by adding a file; a file that cannot be used stops the start
 * with every problem as `<file>:<line>: <key>: <Swedish message>`, like the directory, so that no
 * family is handed a copy with a missing heading.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { type ZodErrorMap, ZodIssueCode } from 'zod';
import { findLine, formatPath, swedishErrorMap } from '../../infra/directory-file.js';
import { type FamilyCopyCatalogue, ZFamilyCopyCatalogue } from './catalogue.js';

export class FamilyCopyCatalogueError extends Error {
  override readonly name = 'FamilyCopyCatalogueError';

  constructor(
    readonly sourceName: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Familjens version av Barnets plan: ${sourceName} kan inte användas (${problems.length} fel):\n${problems.join('\n')}`,
    );
  }
}

// A key the schema does not know is most often a misspelt one, whose right spelling is then missing.
const catalogueErrorMap: ZodErrorMap = (issue, context) =>
  issue.code === ZodIssueCode.unrecognized_keys
    ? { message: `Okänd nyckel ${issue.keys.join(', ')} (stavfel? jämför med sv.yaml)` }
    : swedishErrorMap(issue, context);

/** Every language in `directory`, Swedish first; throws `FamilyCopyCatalogueError`. */
export function loadFamilyCopyCatalogues(directory: string): FamilyCopyCatalogue[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => /\.ya?ml$/i.test(name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FamilyCopyCatalogueError(directory, [
      code === 'ENOENT'
        ? `${directory}: Mappen finns inte. Kontrollera sökvägen (miljövariabeln FAMILY_COPY_DIR).`
        : `${directory}: Mappen kunde inte läsas (${code ?? 'okänt fel'}).`,
    ]);
  }
  if (names.length === 0) {
    throw new FamilyCopyCatalogueError(directory, [
      `${directory}: Mappen har inga språkfiler (t.ex. sv.yaml). Familjens version behöver minst en.`,
    ]);
  }
  const catalogues = names.map((name) => {
    const path = join(directory, name);
    const catalogue = parseFamilyCopyCatalogueText(readFileSync(path, 'utf8'), path);
    const expected = name.replace(/\.ya?ml$/i, '');
    if (catalogue.code !== expected) {
      throw new FamilyCopyCatalogueError(path, [
        `${path}: code: Är "${catalogue.code}" men filen heter ${name}; filen ska heta ${catalogue.code}.yaml`,
      ]);
    }
    return catalogue;
  });
  // sv.yaml and sv.yml would both answer lang=sv; which one a family gets must not be chance.
  const seen = new Set<string>();
  for (const catalogue of catalogues) {
    if (seen.has(catalogue.code)) {
      throw new FamilyCopyCatalogueError(directory, [
        `${directory}: Språket ${catalogue.code} finns i två filer; behåll en av dem.`,
      ]);
    }
    seen.add(catalogue.code);
  }
  return catalogues.sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
}

function rank(code: string): number {
  return code === 'sv' ? 0 : 1;
}

/** Parses one language's file; `sourceName` names it in every problem. */
export function parseFamilyCopyCatalogueText(text: string, sourceName: string): FamilyCopyCatalogue {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new FamilyCopyCatalogueError(
      sourceName,
      document.errors.map(
        (error) => `${sourceName}:${lineCounter.linePos(error.pos[0]).line}: YAML-syntax: ${error.code}`,
      ),
    );
  }
  const result = ZFamilyCopyCatalogue.safeParse(document.toJS(), { errorMap: catalogueErrorMap });
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    // A missing key has no line of its own: its parent's line is the nearest place to add it.
    const line = findLine(document.contents, issue.path, lineCounter);
    return { line, text: `${sourceName}:${line}: ${formatPath(issue.path)}: ${issue.message}` };
  });
  lines.sort((a, b) => a.line - b.line);
  throw new FamilyCopyCatalogueError(
    sourceName,
    lines.map((line) => line.text),
  );
}
