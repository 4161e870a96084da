// Header manipulation of VirtualService rules and destinations: set, add and remove on requests and responses.
import { JsonMap } from '../core/json';

/**
 * Changes to the headers of a request or a response.
 */
export interface HeaderOperations {
  /**
   * Headers to set, replacing any value they had.
   * @default - none
   */
  readonly set?: { [name: string]: string };
  /**
   * Headers to append a value to.
   * @default - none
   */
  readonly add?: { [name: string]: string };
  /**
   * Headers to remove.
   * @default - none
   */
  readonly remove?: string[];
}

/**
 * Changes to request and response headers.
 */
export interface HttpHeaders {
  /**
   * Changes to the request before it is forwarded.
   * @default - none
   */
  readonly request?: HeaderOperations;
  /**
   * Changes to the response before it is returned.
   * @default - none
   */
  readonly response?: HeaderOperations;
}

/** @internal */
export function renderHeaders(h: HttpHeaders | undefined): JsonMap | undefined {
  if (!h) return undefined;
  const ops = (o: HeaderOperations | undefined) => o && { set: o.set && { ...o.set }, add: o.add && { ...o.add }, remove: o.remove && [...o.remove] };
  return { request: ops(h.request), response: ops(h.response) };
}
