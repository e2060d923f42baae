// Lets maintenance scripts load the data-access layer outside Next: `server-only` (which throws
// when imported outside React's server build) resolves to an empty module. Preloaded with -r.
const Module = require('node:module');
const path = require('node:path');
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  if (request === 'server-only') return path.join(__dirname, '..', 'test', 'empty.ts');
  return original.call(this, request, ...rest);
};
