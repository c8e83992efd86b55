import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BOOKING_NODE_ARGUMENTS } from './booking-node-arguments';

describe('BOOKING_NODE_ARGUMENTS', () => {
  it('are the options npm run start:booking starts the catalog with', () => {
    const scripts = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['start:booking']).toContain(`node ${BOOKING_NODE_ARGUMENTS.join(' ')} dist/apps/booking/src/main.js`);
  });
});
