// Only used by Jest, to turn the ESM-only NestJS 12 packages into CommonJS (see jest.config.js).

/**
 * Some of those modules declare `const require = createRequire(import.meta.url)`; once imports become
 * `require()` calls that binding shadows Node's and is read before it is initialised. Rename it first.
 */
function renameModuleLevelRequire() {
  return {
    visitor: {
      Program(path) {
        if (path.scope.hasOwnBinding('require')) path.scope.rename('require', '__esmCreatedRequire');
      },
    },
  };
}

module.exports = {
  plugins: [renameModuleLevelRequire, '@babel/plugin-transform-dynamic-import', '@babel/plugin-transform-modules-commonjs', 'babel-plugin-transform-import-meta'],
};
