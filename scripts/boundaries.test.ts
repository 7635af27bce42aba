import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBoundaries, importsOf } from './boundaries.ts';

const TABLES = ['platform.audit_log', 'admin_units.unit', 'producers.producer'];
const rules = (files: Record<string, string>) =>
  checkBoundaries(new Map(Object.entries(files)), TABLES).map((v) => `${v.file} ${v.rule}`);

test('import specifiers are found in every form', () => {
  const source = `import a from './a.ts';\nimport type { B } from "../b.ts";\nexport { c } from './c.ts';\nimport './side.ts';\nconst d = await import('./d.ts');\nimport {\n  e,\n} from './e.ts';`;
  assert.deepEqual(importsOf(source), ['./a.ts', '../b.ts', './c.ts', './side.ts', './d.ts', './e.ts']);
});

test('code that follows the rules passes', () => {
  assert.deepEqual(
    rules({
      'src/platform/http/server.ts': "import { x } from '../errors.ts';",
      'src/modules/producers/producers.service.ts':
        "import { y } from '../../platform/db/database.ts';\nimport { z } from '../admin-units/index.ts';\nimport { w } from './producers.queries.ts';",
      'src/modules/producers/producers.queries.ts': "db.selectFrom('producers.producer')",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
      'src/modules/producers/producers.search.ts': 'sql`where platform.search_text(name) like ${q}`',
      'src/modules/admin-units/admin-units.test.ts': "import { s } from '../../../tests/support/db.ts';",
      'src/app.ts': "import { p } from './modules/producers/index.ts';",
    }),
    [],
  );
});

test('each rule catches its violation', () => {
  assert.deepEqual(
    rules({
      'src/platform/views/layout.tsx': "import { m } from '../../modules/admin-units/index.ts';",
      'src/modules/producers/a.ts': "import { q } from '../admin-units/admin-units.queries.ts';",
      'src/modules/producers/b.ts': "import { app } from '../../app.ts';",
      'src/modules/producers/c.ts': 'sql`select * from admin_units.unit`',
      'src/modules/admin-units/d.ts': "import { f } from '../../../tests/support/db.ts';",
      // a message key that looks like schema.name is not a table
      'src/modules/identity/e.ts': "t('producers.title')",
    }),
    [
      'src/platform/views/layout.tsx platform-imports-no-module',
      'src/modules/producers/a.ts import-other-modules-through-index',
      'src/modules/producers/b.ts module-imports-no-composition-root',
      'src/modules/producers/c.ts tables-of-own-schema-only',
      'src/modules/admin-units/d.ts no-test-code-in-production',
    ],
  );
});

test('a cycle between modules is reported', () => {
  assert.deepEqual(
    rules({
      'src/modules/producers/index.ts': "import { a } from '../admin-units/index.ts';",
      'src/modules/admin-units/index.ts': "import { p } from '../producers/index.ts';",
    }),
    ['src/modules/producers no-module-cycles'],
  );
});
