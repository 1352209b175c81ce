/** Benchmarks and generated tests use the product's seeded PRNG (the demo city is generated with it too). */
export { seededRandom } from '../libs/domain/src/seeded-random';
