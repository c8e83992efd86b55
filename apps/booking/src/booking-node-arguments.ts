/**
 * Node options the booking app always runs with: `npm start`, `npm run start:booking` (package.json
 * repeats them; a test keeps the two equal) and the benchmark. The old heap is capped: the app's
 * live data is small (a request's rows and hours), but under load V8 lets garbage from wide
 * earliest-slot searches grow the old space to hundreds of MB before collecting, which the RSS keeps.
 */
export const BOOKING_NODE_ARGUMENTS: readonly string[] = ['--max-old-space-size=160'];
