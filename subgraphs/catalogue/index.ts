export { catalogueEnv, loadCatalogueConfig, memberSchema, type CatalogueConfig } from './config';
export { startCatalogueNode, type RunningCatalogueNode } from './node';
export { buildCatalogueSchema } from './schema';
