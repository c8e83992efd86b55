import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CATALOG_NODE_ARGUMENTS } from './catalog-node-arguments';

describe('CATALOG_NODE_ARGUMENTS', () => {
  it('are the options npm run start:catalog starts the catalog with', () => {
    const scripts = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['start:catalog']).toContain(`node ${CATALOG_NODE_ARGUMENTS.join(' ')} dist/apps/catalog/src/main.js`);
  });
});
