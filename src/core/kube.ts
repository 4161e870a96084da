// Reading Kubernetes objects that other libraries built (cdk8s-plus 28..33, raw imports) without depending on
// any of them: a construct is accepted if it is an ApiObject or its default child is one.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The ApiObject behind a construct: the construct itself, or its default child (`Resource` in cdk8s-plus).
 * @internal
 */
export function apiObjectOf(c: IConstruct, expectedKind?: string): ApiObject {
  const candidate = ApiObject.isApiObject(c) ? c : c.node.defaultChild;
  if (!candidate || !ApiObject.isApiObject(candidate)) {
    throw new Error(`[${c.node.path}] expected a Kubernetes object or a construct whose default child is one (such as a cdk8s-plus ${expectedKind ?? 'resource'})`);
  }
  if (expectedKind && candidate.kind !== expectedKind) {
    throw new Error(`[${c.node.path}] expected a ${expectedKind} (got ${candidate.kind})`);
  }
  return candidate;
}

/** The resolved JSON of an ApiObject; only call at synth time, when Lazies can produce. @internal */
export function resolvedJson(obj: ApiObject): any {
  return obj.toJson();
}
