import { defineConfig } from 'tsup'

// Layout of dist/:
//   index.js     ESM build: `export default cookieSession` and `export { cookieSession }`
//   index.cjs    CJS build: `module.exports = cookieSession`, with `.default` and
//                `.cookieSession` pointing to the same function (the footer below)
//   types.d.cts  every public declaration, bundled once (global augmentations included)
//   index.d.ts   ESM types, re-exporting types.d.cts       (copied from dts/)
//   index.d.cts  CJS types, `export =` the same declarations (copied from dts/)
//   fetch.js, fetch.cjs      the Fetch door, `cookie-session/fetch` (named export only)
//   fetch.d.ts, fetch.d.cts  its types, re-exporting types.d.cts (copied from dts/)
// One declaration file for both formats, so a program that loads the package
// both ways sees one `SessionData`, one `Express.Request` augmentation.

/** Makes the CJS build's `module.exports` the factory itself, as cookie-session 2.x had it. */
const cjsExportsFactory = [
  ';{',
  '  const factory = module.exports.default',
  '  module.exports = Object.assign(factory, { default: factory, cookieSession: factory })',
  '}',
].join('\n')

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: false,
    // The types build below writes types.d.cts concurrently; leave it alone.
    clean: ['!types.d.cts'],
    publicDir: 'dts',
    footer: ({ format }) => (format === 'cjs' ? { js: cjsExportsFactory } : {}),
    target: 'node20',
    sourcemap: false,
    removeNodeProtocol: false,
  },
  {
    entry: { fetch: 'src/fetch.ts' },
    format: ['esm', 'cjs'],
    dts: false,
    clean: false,
    target: 'node20',
    sourcemap: false,
    removeNodeProtocol: false,
  },
  {
    entry: { types: 'src/api.ts' },
    format: ['cjs'],
    dts: { only: true },
    target: 'node20',
  },
])
