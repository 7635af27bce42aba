/**
 * The dependency rules of DESIGN.md as a pure check over source texts:
 *  1. platform imports no module (nor the composition root, CLI or entry point);
 *  2. a module imports platform, its own files, and other modules' index.ts only;
 *  3. no cycles between modules;
 *  4. a module's code names only the tables of its own PostgreSQL schema (platform: `platform`);
 *  5. production code never imports tests, scripts or benchmarks.
 */
import path from 'node:path';

export interface Violation {
  file: string;
  rule: string;
  detail: string;
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

export function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(IMPORT)) found.push((match[1] ?? match[2] ?? match[3])!);
  return found;
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file) || file.startsWith('tests/');
const moduleOf = (file: string) => /^src\/modules\/([^/]+)\//.exec(file)?.[1];
const schemaOfModule = (name: string) => name.replace(/-/g, '_');

/**
 * @param files  repository-relative path → source text (posix separators)
 * @param tables  every table as `schema.table` (from the generated row types)
 */
export function checkBoundaries(files: Map<string, string>, tables: string[]): Violation[] {
  const violations: Violation[] = [];
  const moduleEdges = new Map<string, Set<string>>();

  for (const [file, source] of files) {
    const fromModule = moduleOf(file);
    const inPlatform = file.startsWith('src/platform/');
    for (const specifier of importsOf(source)) {
      if (!specifier.startsWith('.')) continue; // packages
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const toModule = moduleOf(target);
      if (!isTest(file) && /^(tests|scripts|bench)\//.test(target)) {
        violations.push({ file, rule: 'no-test-code-in-production', detail: `imports ${target}` });
      }
      if (inPlatform && !isTest(file) && !target.startsWith('src/platform/')) {
        violations.push({ file, rule: 'platform-imports-no-module', detail: `imports ${target}` });
      }
      if (fromModule) {
        if (/^src\/(app|main)\.tsx?$/.test(target) || target.startsWith('src/cli/')) {
          violations.push({ file, rule: 'module-imports-no-composition-root', detail: `imports ${target}` });
        }
        if (toModule && toModule !== fromModule) {
          if (target !== `src/modules/${toModule}/index.ts`) {
            violations.push({
              file,
              rule: 'import-other-modules-through-index',
              detail: `imports ${target}; use src/modules/${toModule}/index.ts`,
            });
          }
          if (!isTest(file)) {
            const edges = moduleEdges.get(fromModule) ?? new Set<string>();
            edges.add(toModule);
            moduleEdges.set(fromModule, edges);
          }
        }
      }
    }

    // The generated row types name every table; that is their job.
    if (!isTest(file) && (fromModule || inPlatform) && file !== 'src/platform/db/schema.ts') {
      const own = fromModule ? schemaOfModule(fromModule) : 'platform';
      for (const name of tables) {
        if (name.split('.')[0] === own) continue;
        // a real table name (message keys such as 'producers.title' and functions such as
        // platform.search_text() are not tables)
        const table = new RegExp(`['"\`\\s(]${name.replace('.', '\\.')}\\b(?!\\s*\\()`, 'g');
        const match = source.match(table);
        if (match) {
          violations.push({
            file,
            rule: 'tables-of-own-schema-only',
            detail: `names ${match[0].slice(1)}, a table of another module; call that module's index.ts`,
          });
        }
      }
    }
  }

  for (const cycle of findCycles(moduleEdges)) {
    violations.push({ file: `src/modules/${cycle[0]}`, rule: 'no-module-cycles', detail: cycle.join(' → ') });
  }
  return violations;
}

function findCycles(edges: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
