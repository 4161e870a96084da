// PLACEHOLDER (being written): schema + CEL check of Istio objects against the pinned CRDs (IST0106).
import { ObjectRule } from '../engine';

/** @internal */
export const schemaRule: ObjectRule = {
  kinds: [],
  check: () => undefined,
};
