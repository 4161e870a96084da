// References to resources defined outside this program (`Gateway.fromName`, `VirtualService.fromName`,
// `Host.fromName`): one argument order everywhere, the name first and the namespace as an option.

/** Options of the `fromName` imports of resources defined elsewhere. */
export interface ReferenceOptions {
  /**
   * The namespace of the resource.
   * @default - the namespace of the referring resource
   */
  readonly namespace?: string;
}
