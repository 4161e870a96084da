// The examples import from 'cdk8s-istio', exactly as a user's app does; inside this repository that name has
// to mean the checkout's src/. TypeScript learns it from `paths` (test/tsconfig.json); ts-node loads this file
// first (examples/tsconfig.json, "ts-node".require) so that Node resolves the name the same way at runtime.
// A user's app needs none of this: there, 'cdk8s-istio' is the installed package.
const Module = require('module');
const path = require('path');

const SRC = path.resolve(__dirname, '..', 'src', 'index.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === 'cdk8s-istio' ? SRC : request, ...rest);
};
