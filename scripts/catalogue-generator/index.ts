/** Synthetic ISO 2709 catalogues for the demo, tests and benchmarks (see generator.ts for the model). */
export {
  DEFAULT_NETWORK_SEED,
  DEFAULT_SHARED,
  MAX_RECORDS,
  controlNumber,
  generateCatalogue,
  generateRecords,
  poolEdition,
  resolveOptions,
  writeCatalogue,
  type CatalogueStats,
  type Edition,
  type GeneratedRecord,
  type GeneratorOptions,
  type Holding,
} from './generator';
export { isValidIsbn10, isValidIsbn13 } from './isbn';
export type { OutputEncoding } from './iso2709';
export type { OutputFlavour } from './records';
