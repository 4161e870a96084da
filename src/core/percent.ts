// A share of traffic, checked when written so a typo (150 instead of 15) never reaches a manifest.
import { invalidValue } from './errors';

/**
 * A percentage of requests, from 0 to 100 (fractions allowed, e.g. 0.1 for one request in a thousand).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Percent
 */
export class Percent {
  /**
   * A percentage from 0 to 100.
   * @param value the percentage; Istio rejects values strictly between 0 and 0.0001 for faults
   */
  public static of(value: number): Percent {
    return new Percent(value);
  }

  /** A fraction from 0 to 1, e.g. `Percent.fraction(0.01)` is 1%. */
  public static fraction(value: number): Percent {
    return new Percent(value * 100);
  }

  /** The percentage, 0..100. */
  public readonly value: number;

  private constructor(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
      throw invalidValue({ kind: 'Percent', problem: 'a percentage must be between 0 and 100', got: value, allowed: 'e.g. Percent.of(10)' });
    }
    // Floating point noise (0.1 * 100 = 10.000000000000002) would otherwise leak into the YAML.
    this.value = Math.round(value * 1e9) / 1e9;
  }
}
