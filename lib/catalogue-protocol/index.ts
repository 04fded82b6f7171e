/**
 * The catalogue protocol: what the gateway and the catalogue nodes must agree on across HTTP, in one place
 * both import (free of type-graphql and MikroORM, so the gateway loads neither).
 */
export * from './batch';
export * from './limits';
export * from './record-id';
export * from './statistics';
export * from './status';
export * from './urls';
