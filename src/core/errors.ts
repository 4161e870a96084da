// One shape for every problem the library reports, so a user can grep a synth failure like a compiler error:
//   [<construct path>] <Kind>.<field path>: <what is wrong> (got <value>; <what is allowed>)
// cdk8s prefixes validation messages with "[<construct path>] " itself; errors thrown while a construct is built
// get the same prefix from `constructError`/`withConstructPath`; this module writes the rest.
import { IConstruct } from 'constructs';

/**
 * The parts of one problem report.
 */
interface ProblemParts {
  /** Istio kind, e.g. `Gateway`, or a value type such as `Percent`. */
  readonly kind: string;
  /** Field path below the kind, e.g. `spec.servers[0].port.number`. Empty for the value itself. */
  readonly field?: string;
  /** What is wrong, in words. */
  readonly problem: string;
  /** The offending value; rendered with `renderValue`. Use `NO_VALUE` when nothing was given. */
  readonly got?: unknown;
  /** What would be accepted instead. */
  readonly allowed?: string;
}

/** Marker for "the field was missing" in `ProblemParts.got`. @internal */
export const NO_VALUE = Symbol('no value');

/** Render a value the way a user wrote it in code or YAML. @internal */
export function renderValue(value: unknown): string {
  if (value === NO_VALUE) return 'nothing';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? json.slice(0, 117) + '...' : json;
  } catch {
    return String(value);
  }
}

/** `<Kind>.<field>: <problem> (got <value>; <allowed>)`. @internal */
export function formatProblem(p: ProblemParts): string {
  const where = p.field ? `${p.kind}.${p.field}` : p.kind;
  const details: string[] = [];
  if (p.got !== undefined) details.push(`got ${renderValue(p.got)}`);
  if (p.allowed) details.push(p.allowed);
  return `${where}: ${p.problem}${details.length ? ` (${details.join('; ')})` : ''}`;
}

/**
 * Thrown at once for a bad literal (a percentage of 150, a port of 70000), where no construct exists yet.
 * @internal
 */
export function invalidValue(p: ProblemParts): Error {
  return new Error(formatProblem(p));
}

/** Field path helper: `joinPath('spec.http', 2, 'route')` -> `spec.http[2].route`. @internal */
export function joinPath(...parts: Array<string | number>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (part.startsWith('[')) out += part;
    else if (part) out += out ? `.${part}` : part;
  }
  return out;
}

/**
 * The error a construct throws while it is being built or changed (a bad prop, a bad `add*` argument):
 * `[<construct path>] <Kind>.<field>: <problem> (got ...; ...)`, the shape cdk8s gives validation errors.
 * @internal
 */
export function constructError(scope: IConstruct, p: ProblemParts): Error {
  return new Error(`[${scope.node.path}] ${formatProblem(p)}`);
}

/**
 * Run `build` on behalf of the construct `scope`: an error it throws (a value type's `invalidValue`, which
 * knows no construct) is rethrown with `[<construct path>] ` in front, unless it already names a construct.
 * @internal
 */
export function withConstructPath<T>(scope: IConstruct, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof Error) || e.message.startsWith('[')) throw e;
    const located = new Error(`[${scope.node.path}] ${e.message}`);
    located.stack = e.stack;
    throw located;
  }
}
