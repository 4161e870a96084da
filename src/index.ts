// The public surface of cdk8s-istio. The generated L1 bindings in ./imports stay internal.
export * from './core/api-version';
export * from './core/host';
export * from './core/percent';
export * from './core/selector';
export * from './core/resource';
export * from './analysis/diagnostic';
export * from './analysis/options';
export * from './analysis/istio-analysis';
export * from './networking/protocol';
export * from './networking/tls';
export * from './networking/gateway';
