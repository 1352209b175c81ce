#!/usr/bin/env node
// Prints Jest's own counts as the plain line CI reads: "N passed, N failed[, N skipped]".
const { readFileSync } = require('node:fs');
const file = process.argv[2] || '.tmp/jest-results.json';
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log('0 passed, 1 failed');
  console.error(`No Jest results at ${file}: ${error.message}`);
  process.exit(1);
}
// A suite that failed to load has no test results of its own: count it as a failure so it cannot hide.
const failed = results.numFailedTests + results.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
