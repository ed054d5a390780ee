/**
 * The dependency rule of `flows/` (docs/architecture.md), checked on the source: the kernel uses
 * no step, a step uses the kernel and reaches another step only through that step's `index.ts`,
 * nothing in `flows/` imports an SDK or reads the environment, and there is no import circle.
 * A rule that only lives in a document is forgotten by the second new feature.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const flowsRoot = path.resolve(import.meta.dirname, '../../../flows');

interface SourceFile {
  /** Path relative to `flows/`, e.g. `barnteam/book-barnteam.ts`. */
  name: string;
  source: string;
  /** Relative imports resolved to paths relative to `flows/` (may point outside it: `../x`). */
  imports: string[];
  /** Bare package imports, e.g. `zod`, `botbuilder`. */
  packages: string[];
}

function listSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g;

function readSources(): SourceFile[] {
  return listSources(flowsRoot).map((full) => {
    const source = fs.readFileSync(full, 'utf8');
    const name = path.relative(flowsRoot, full);
    const imports: string[] = [];
    const packages: string[] = [];
    for (const match of source.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.')) {
        imports.push(path.normalize(path.join(path.dirname(name), specifier)).replace(/\.js$/, '.ts'));
      } else {
        packages.push(specifier);
      }
    }
    return { name, source, imports, packages };
  });
}

const sources = readSources();
const folderOf = (name: string) => name.split(path.sep)[0] ?? '';
const steps = [...new Set(sources.map((file) => folderOf(file.name)))].filter(
  (folder) => folder !== 'kernel',
);

describe('flows/ dependency rule', () => {
  it('is laid out as a kernel and one folder per process step, with no loose files', () => {
    expect(sources.filter((file) => !file.name.includes(path.sep)).map((file) => file.name)).toEqual([]);
    expect(sources.some((file) => folderOf(file.name) === 'kernel')).toBe(true);
    expect(steps).toEqual(expect.arrayContaining(['upptackt', 'samtycke', 'samtal-och-beslut', 'barnteam']));
  });

  it('keeps every import inside flows/', () => {
    const outside = sources.flatMap((file) =>
      file.imports.filter((target) => target.startsWith('..')).map((target) => `${file.name} → ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it('has a kernel that imports no step', () => {
    const violations = sources
      .filter((file) => folderOf(file.name) === 'kernel')
      .flatMap((file) =>
        file.imports
          .filter((target) => folderOf(target) !== 'kernel')
          .map((target) => `${file.name} → ${target}`),
      );
    expect(violations).toEqual([]);
  });

  it('lets a step reach another step only through its index.ts', () => {
    const violations = sources
      .filter((file) => folderOf(file.name) !== 'kernel')
      .flatMap((file) =>
        file.imports
          .filter((target) => {
            const folder = folderOf(target);
            return (
              folder !== 'kernel' &&
              folder !== folderOf(file.name) &&
              target !== path.join(folder, 'index.ts')
            );
          })
          .map((target) => `${file.name} → ${target}`),
      );
    expect(violations).toEqual([]);
  });

  it('imports no Teams SDK, store, HTTP client or environment', () => {
    const allowed = new Set(['zod', 'date-fns', '@date-fns/tz', 'node:crypto']);
    const violations = sources.flatMap((file) => [
      ...file.packages.filter((name) => !allowed.has(name)).map((name) => `${file.name} imports ${name}`),
      ...(/\bprocess\.env\b/.test(file.source) ? [`${file.name} reads process.env`] : []),
      ...(/new Date\(\)|Date\.now\(\)/.test(file.source) ? [`${file.name} reads the clock`] : []),
    ]);
    expect(violations).toEqual([]);
  });

  it('has no import circle', () => {
    const graph = new Map(sources.map((file) => [file.name, file.imports]));
    const circles: string[] = [];
    const done = new Set<string>();
    const onPath: string[] = [];
    const visit = (name: string) => {
      const at = onPath.indexOf(name);
      if (at >= 0) {
        circles.push([...onPath.slice(at), name].join(' → '));
        return;
      }
      if (done.has(name)) return;
      onPath.push(name);
      for (const target of graph.get(name) ?? []) visit(target);
      onPath.pop();
      done.add(name);
    };
    for (const name of graph.keys()) visit(name);
    expect(circles).toEqual([]);
  });
});
