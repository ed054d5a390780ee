/**
 * Reads the municipality's directory (katalogen) from a YAML file at start-up. Every problem
 * is reported at once as `<file>:<line>: <field>: <Swedish message>`, so the IT staff who
 * maintain the file can fix it in one go instead of one restart per typo.
 *
 * Type and format problems are found in one pass; the checks that span fields (references
 * between contacts and units, unique ids) run once the file's structure is right, because
 * they need a well-formed directory to compare.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { type ZodErrorMap, type ZodIssue, ZodIssueCode, type ZodParsedType } from 'zod';
import { type Directory, ZDirectory } from '../flows/kernel/directory.js';

/** The directory file could not be read or is not valid; `problems` lists each problem on its own line. */
export class DirectoryFileError extends Error {
  override readonly name = 'DirectoryFileError';

  constructor(
    readonly sourceName: string,
    readonly problems: readonly string[],
  ) {
    super(`Katalogfilen ${sourceName} kan inte användas (${problems.length} fel):\n${problems.join('\n')}`);
  }
}

/** Reads, parses and validates the directory file at `path`; throws `DirectoryFileError`. */
export function loadDirectoryFile(path: string): Directory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `${path}: Katalogfilen finns inte. Kontrollera sökvägen (miljövariabeln DIRECTORY_FILE).`
        : `${path}: Katalogfilen kunde inte läsas (${code ?? 'okänt fel'}).`;
    throw new DirectoryFileError(path, [problem]);
  }
  return parseDirectoryText(text, path);
}

/** Parses and validates directory YAML; `sourceName` is used in the problem lines. */
export function parseDirectoryText(text: string, sourceName: string): Directory {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new DirectoryFileError(
      sourceName,
      document.errors.map(
        (error) =>
          `${sourceName}:${lineCounter.linePos(error.pos[0]).line}: YAML-syntax: ${describeYamlError(error.code)}`,
      ),
    );
  }

  const result = ZDirectory.safeParse(document.toJS(), { errorMap: swedishErrorMap });
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.flatMap((issue) => expandIssue(issue));
  const lines = problems.map(({ path, message }) => {
    const line = findLine(document.contents, path, lineCounter);
    return { line, text: `${sourceName}:${line}: ${formatPath(path)}: ${message}` };
  });
  lines.sort((a, b) => a.line - b.line);
  throw new DirectoryFileError(
    sourceName,
    lines.map((line) => line.text),
  );
}

export type PathSegment = string | number;

/** An unknown key is reported on the key's own line, one problem per key. */
function expandIssue(issue: ZodIssue): { path: PathSegment[]; message: string }[] {
  if (issue.code === ZodIssueCode.unrecognized_keys) {
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      message: 'Okänt fält (stavfel, eller fel indrag?)',
    }));
  }
  return [{ path: issue.path, message: issue.message }];
}

/**
 * The line of the deepest node on `path` that exists in the file: the key's line for a
 * field, the item's line for a list entry, the parent's line for a missing field.
 */
export function findLine(root: unknown, path: readonly PathSegment[], lineCounter: LineCounter): number {
  let node: unknown = root;
  let offset = rangeStart(root) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node === 'object' && node !== null && 'range' in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    return range?.[0];
  }
  return undefined;
}

export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(hela filen)';
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

const yamlErrorTexts: Readonly<Record<string, string>> = {
  BAD_INDENT: 'felaktigt indrag: fält på samma nivå ska ha lika många mellanslag',
  TAB_AS_INDENT: 'tabb används som indrag; använd mellanslag',
  DUPLICATE_KEY: 'samma fält står två gånger',
  MISSING_CHAR: 'ett tecken saknas, t.ex. ett avslutande citattecken eller en klammer',
  UNEXPECTED_TOKEN: 'oväntat tecken; kontrollera kolon, indrag och citattecken',
  BLOCK_AS_IMPLICIT_KEY: 'oväntat innehåll; kontrollera kolon och indrag',
  MULTILINE_IMPLICIT_KEY: 'ett fältnamn sträcker sig över flera rader; saknas ett kolon?',
  MULTIPLE_DOCS: 'filen får bara innehålla ett dokument (ta bort "---")',
  BAD_SCALAR_START: 'värdet börjar med ett tecken som måste stå inom citattecken',
};

function describeYamlError(code: string): string {
  return yamlErrorTexts[code] ?? `ogiltig YAML (${code})`;
}

const typeNames: Partial<Record<ZodParsedType, string>> = {
  string: 'text',
  number: 'ett tal',
  integer: 'ett heltal',
  boolean: 'true eller false',
  array: 'en lista',
  object: 'ett avsnitt med fält',
  null: 'tomt',
};

/** Swedish messages for zod's built-in checks; explicit messages in the schema win over these. */
export const swedishErrorMap: ZodErrorMap = (issue, context) => {
  switch (issue.code) {
    case ZodIssueCode.invalid_type:
      if (issue.received === 'undefined') return { message: 'Fältet saknas' };
      return {
        message: `Ska vara ${typeNames[issue.expected] ?? issue.expected}, inte ${typeNames[issue.received] ?? issue.received}`,
      };
    case ZodIssueCode.invalid_enum_value:
      return {
        message: `Ogiltigt värde "${String(issue.received)}"; tillåtna värden: ${issue.options.join(', ')}`,
      };
    case ZodIssueCode.invalid_string:
      if (issue.validation === 'uuid') {
        return { message: 'Ska vara ett objekt-id (GUID), t.ex. 0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02' };
      }
      if (issue.validation === 'email') return { message: 'Ogiltig e-postadress' };
      return { message: 'Ogiltigt format' };
    case ZodIssueCode.too_small:
      if (issue.type === 'array') {
        return {
          message:
            issue.minimum === 1 ? 'Listan får inte vara tom' : `Listan ska ha minst ${issue.minimum} poster`,
        };
      }
      if (issue.type === 'string') {
        return {
          message: issue.minimum === 1 ? 'Får inte vara tomt' : `Ska ha minst ${issue.minimum} tecken`,
        };
      }
      return { message: `Ska vara minst ${issue.minimum}` };
    case ZodIssueCode.too_big:
      if (issue.type === 'array') return { message: `Listan får ha högst ${issue.maximum} poster` };
      if (issue.type === 'string') return { message: `Får ha högst ${issue.maximum} tecken` };
      return { message: `Får vara högst ${issue.maximum}` };
    default:
      return { message: context.defaultError };
  }
};
