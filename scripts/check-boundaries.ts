/** `npm run lint` runs this: fails (exit 1) on any violation of the module rules of DESIGN.md. */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/platform/paths.ts';
import { checkBoundaries } from './boundaries.ts';

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(rel, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}

const files = new Map(
  walk('src').map((file) => [file, fs.readFileSync(path.join(projectRoot, file), 'utf8')]),
);
const schemaTypes = fs.readFileSync(path.join(projectRoot, 'src/platform/db/schema.ts'), 'utf8');
const tables = [...schemaTypes.matchAll(/^ {2}'([a-z_]+\.[a-z_]+)':/gm)].map((m) => m[1]!);

const violations = checkBoundaries(files, tables);
for (const v of violations) console.error(`${v.file}: ${v.rule}: ${v.detail}`);
if (violations.length > 0) {
  console.error(`\n${violations.length} module-boundary violation(s); see docs/architecture.md`);
  process.exit(1);
}
console.log(`Module boundaries hold (${files.size} files, ${tables.length} tables).`);
