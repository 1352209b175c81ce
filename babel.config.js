// Only used by Jest, to turn the ESM-only NestJS 12 packages into CommonJS (see jest.config.js).
module.exports = {
  plugins: ['@babel/plugin-transform-modules-commonjs', 'babel-plugin-transform-import-meta'],
};
