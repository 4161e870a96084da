// Durations rendered the way Istio parses them (Go time.ParseDuration) and the way the CRDs' CEL and the
// webhook accept them: a whole number of milliseconds, at least 1ms.
import { Duration } from 'cdk8s';
import { invalidValue } from './errors';

/**
 * Render a cdk8s `Duration` as an Istio duration string: `5s` when it is whole seconds, `250ms` otherwise.
 * Throws for anything below 1ms or with a fraction of a millisecond, which Istio rejects.
 * @internal
 */
export function renderDuration(d: Duration, kind: string, field: string, opts: { wholeSeconds?: boolean } = {}): string {
  const ms = d.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms < 1 || !Number.isInteger(ms)) {
    throw invalidValue({
      kind,
      field,
      problem: 'Istio durations must be a whole number of milliseconds, at least 1ms',
      got: `${ms}ms`,
      allowed: 'e.g. Duration.millis(250) or Duration.seconds(5)',
    });
  }
  if (opts.wholeSeconds && ms % 1000 !== 0) {
    throw invalidValue({ kind, field, problem: 'this duration must be whole seconds', got: `${ms}ms`, allowed: 'e.g. Duration.seconds(60)' });
  }
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

/**
 * Parse a Go duration string (`1h30m`, `2.5s`, `250ms`) into nanoseconds; undefined when it does not parse.
 * Used by the analysis engine on manifests that were not written through our constructs.
 * @internal
 */
export function parseGoDuration(s: string): number | undefined {
  if (typeof s !== 'string' || !GO_DURATION.test(s)) return undefined;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += parseFloat(m[1]) * unit[m[2]];
  }
  return total;
}
