import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics, served at `/metrics`: per catalogue node latency, outcomes and circuit
 * state, plus the process's own (prefixed `gateway_`). One registry per gateway, so that several gateways in
 * one process (tests) keep apart.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly nodeRequests = new Counter({
    name: 'catalogue_node_requests_total',
    help: 'Requests from the gateway to catalogue nodes, by member, operation and outcome (OK, ERROR, TIMEOUT, UNAVAILABLE, SKIPPED)',
    labelNames: ['member', 'operation', 'status'] as const,
    registers: [this.registry],
  });

  readonly nodeDuration = new Histogram({
    name: 'catalogue_node_request_duration_seconds',
    help: 'Time catalogue nodes took to answer the gateway (requests the circuit breaker skipped are not counted)',
    labelNames: ['member', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });

  readonly nodeRetries = new Counter({
    name: 'catalogue_node_retries_total',
    help: 'Read requests to catalogue nodes sent again after a connection failure',
    labelNames: ['member'] as const,
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'catalogue_node_circuit_state',
    help: 'Circuit breaker of each catalogue node: 0 closed (requests go), 0.5 half-open (one probe goes), 1 open (skipped)',
    labelNames: ['member'] as const,
    registers: [this.registry],
  });

  readonly nodes = new Gauge({
    name: 'catalogue_nodes',
    help: 'Registered catalogue nodes by schema state (COMPATIBLE, INCOMPATIBLE: refused, UNCHECKED)',
    labelNames: ['schema'] as const,
    registers: [this.registry],
  });

  readonly requests = new Gauge({
    name: 'gateway_graphql_requests',
    help: 'GraphQL requests being worked on (state active) and waiting for their turn (state queued)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly refused = new Gauge({
    name: 'gateway_overload_refusals',
    help: 'Requests refused since start because the gateway was at capacity (503 OVERLOADED)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
  }
}
