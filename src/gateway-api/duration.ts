// Durations in the Gateway API's own format (GEP-2257): up to four `<1-5 digits><h|m|s|ms>` parts, e.g.
// `10s`, `250ms`, `1h30m`. Stricter than Go's: no fractions, no `us`/`ns`, at most 99999 of a unit.
import { Duration } from 'cdk8s';
import { invalidValue } from '../core/errors';

const UNITS: Array<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/**
 * Render a cdk8s `Duration` as a Gateway API duration: one unit when one fits (`90s`, `1500ms`, `2h`), else
 * the parts from hours down (`27h46m40s`). `0s` is allowed: the Gateway API reads it as "no timeout".
 * @internal
 */
export function renderGatewayDuration(d: Duration, kind: string, field: string): string {
  const ms = d.toMilliseconds({ integral: false });
  const bad = (problem: string) => invalidValue({ kind, field, problem, got: `${ms}ms`, allowed: 'e.g. Duration.millis(250) or Duration.seconds(10)' });
  if (!Number.isFinite(ms) || ms < 0 || !Number.isInteger(ms)) throw bad('Gateway API durations must be a whole number of milliseconds, 0 or more');
  if (ms === 0) return '0s';
  for (const [unit, size] of UNITS) {
    if (ms % size === 0 && ms / size <= 99999) return `${ms / size}${unit}`;
  }
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out += `${n}${unit}`;
  }
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(out)) throw bad('this duration is too long for the Gateway API format (at most 99999h)');
  return out;
}
