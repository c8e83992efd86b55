/**
 * Node options the catalog always runs with: `npm start`, `npm run start:catalog` (package.json
 * repeats them; a test keeps the two equal) and the benchmark. The old heap is capped: live it holds
 * about 40 MB (the search index lives outside it, in typed arrays and buffers), but loading the index
 * leaves garbage that V8 would otherwise let grow to 140 MB before collecting, which the RSS keeps.
 */
export const CATALOG_NODE_ARGUMENTS: readonly string[] = ['--max-old-space-size=160'];
