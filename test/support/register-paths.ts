import 'reflect-metadata';
import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';

/** Jest's global setup runs outside its module mapper, so the @app/* aliases are registered here. */
const root = resolve(__dirname, '../..');
register({
  baseUrl: root,
  paths: { '@app/*': ['libs/*/src'], '@app/testing/*': ['libs/testing/src/*'] },
});
