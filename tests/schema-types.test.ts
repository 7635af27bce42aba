import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { generateSchemaTypes, SCHEMA_FILE } from '../scripts/db-types.ts';
import { dropOwnTemplates, freshDatabase, testEngines } from './support/db.ts';

after(dropOwnTemplates);

for (const engine of testEngines()) {
  test(`the committed row types match the migrations (${engine}); run npm run db:types if not`, async () => {
    const database = await freshDatabase(engine);
    try {
      assert.equal(await generateSchemaTypes(database), fs.readFileSync(SCHEMA_FILE, 'utf8'));
    } finally {
      await database.destroy();
    }
  });
}
