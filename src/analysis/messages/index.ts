// The message catalog: the only place where codes, levels and templates are written, as Istio's
// pkg/config/analysis/msg. Istio's messages are generated from its analysis-messages.yaml
// (catalog.generated.ts); ours, the CDK8SISTIO codes for what Istio has no code for, are below. Rules report
// `Messages.X`, and a finding's level is the catalog's, never the call site's.
import { ISTIO_MESSAGES } from './catalog.generated';
import { Diagnostic, DiagnosticLevel } from '../diagnostic';

/** One kind of finding: its code, name, level and message template. @internal */
export interface MessageType {
  /** `IST0101`, or `CDK8SISTIO0101` for our own. */
  readonly code: string;
  /** Istio's name for the message, e.g. `ReferencedResourceNotFound`. */
  readonly name: string;
  readonly level: DiagnosticLevel;
  /** A Go format string (`%s`, `%v`, `%q`, `%d`), filled with the arguments in order. */
  readonly template: string;
  /** The names of the template's arguments, in order. */
  readonly args: readonly string[];
}

const LEVELS: Record<string, DiagnosticLevel> = {
  error: DiagnosticLevel.ERROR,
  warning: DiagnosticLevel.WARNING,
  info: DiagnosticLevel.INFO,
};

type IstioMessageName = keyof typeof ISTIO_MESSAGES;

function istio(): Record<IstioMessageName, MessageType> {
  const out = {} as Record<IstioMessageName, MessageType>;
  for (const [name, m] of Object.entries(ISTIO_MESSAGES) as Array<[IstioMessageName, (typeof ISTIO_MESSAGES)[IstioMessageName]]>) {
    out[name] = { code: m.code, name: m.name, level: LEVELS[m.level], template: m.template, args: m.args };
  }
  return out;
}

/** Our own messages, for what Istio's analysis does not check. */
const OWN = {
  /** istioctl would refuse the IstioOperator install file. */
  InvalidIstioOperator: {
    code: 'CDK8SISTIO0101',
    name: 'InvalidIstioOperator',
    level: DiagnosticLevel.ERROR,
    template: 'Invalid IstioOperator: %v',
    args: ['detail'],
  },
  /** A Telemetry names an extension provider that the IstioOperator in the input does not define. */
  UnknownExtensionProvider: {
    code: 'CDK8SISTIO0102',
    name: 'UnknownExtensionProvider',
    level: DiagnosticLevel.WARNING,
    template: 'Extension provider %q is not defined in the mesh config, so Istio ignores it.',
    args: ['provider'],
  },
  /**
   * Istio's serviceentry.ConflictingServiceEntryProtocolAnalyzer reports this code, which is newer than the
   * pinned analysis-messages.yaml; the template is ours, from the analyzer's arguments.
   */
  ConflictingServiceEntryProtocol: {
    code: 'IST0177',
    name: 'ConflictingServiceEntryProtocol',
    level: DiagnosticLevel.WARNING,
    template: 'The ServiceEntries %s declare host %s port %d with different protocols (%s); which one Istio uses is undefined.',
    args: ['serviceEntries', 'host', 'port', 'protocols'],
  },
  // Ambient mode (CDK8SISTIO04xx): facts Istio's analysis has no analyzer for. A Sidecar in ambient mode is
  // Istio's own IST0167 (sidecar.SelectorAnalyzer).
  /** An AuthorizationPolicy that ztunnel enforces (bound by selector or namespace-wide) uses L7 attributes. */
  ZtunnelCannotEnforceL7: {
    code: 'CDK8SISTIO0401',
    name: 'ZtunnelCannotEnforceL7',
    level: DiagnosticLevel.ERROR,
    template: 'The policy applies to ambient workloads through ztunnel, which cannot enforce %s.',
    args: ['attributes'],
  },
  /** `istio.io/use-waypoint` names a waypoint the input does not define. */
  WaypointNotFound: {
    code: 'CDK8SISTIO0402',
    name: 'WaypointNotFound',
    level: DiagnosticLevel.ERROR,
    template: 'Referenced waypoint not found: %q',
    args: ['waypoint'],
  },
  /** `istio.io/use-waypoint` on a Service or pod names a waypoint whose `istio.io/waypoint-for` excludes that traffic. */
  WaypointTrafficTypeMismatch: {
    code: 'CDK8SISTIO0403',
    name: 'WaypointTrafficTypeMismatch',
    level: DiagnosticLevel.WARNING,
    template: 'The waypoint %q handles %s traffic only, so the %s traffic of this resource does not go through it.',
    args: ['waypoint', 'waypointFor', 'trafficType'],
  },
  /** An EnvoyFilter that applies to ambient workloads, which have no Envoy to patch. */
  EnvoyFilterInAmbient: {
    code: 'CDK8SISTIO0404',
    name: 'EnvoyFilterInAmbient',
    level: DiagnosticLevel.WARNING,
    template: 'The EnvoyFilter has no effect on workloads in ambient mode: %s.',
    args: ['reason'],
  },
  /** A RequestAuthentication bound by selector or namespace-wide in ambient mode, where ztunnel validates no JWT. */
  RequestAuthenticationOnZtunnel: {
    code: 'CDK8SISTIO0405',
    name: 'RequestAuthenticationOnZtunnel',
    level: DiagnosticLevel.WARNING,
    template: 'The RequestAuthentication applies to ambient workloads through ztunnel, which validates no tokens: %s.',
    args: ['reason'],
  },
  /** `istio.io/use-waypoint-namespace` names a waypoint whose HBONE listener does not admit the resource's namespace. */
  WaypointNamespaceNotAllowed: {
    code: 'CDK8SISTIO0406',
    name: 'WaypointNamespaceNotAllowed',
    level: DiagnosticLevel.ERROR,
    template: 'The waypoint %q does not allow use from namespace %q.',
    args: ['waypoint', 'namespace'],
  },
  /** A file or document the command line cannot parse as a Kubernetes manifest. */
  UnparsableManifest: {
    code: 'CDK8SISTIO0001',
    name: 'UnparsableManifest',
    level: DiagnosticLevel.ERROR,
    template: 'Cannot parse the manifest: %v',
    args: ['detail'],
  },
  /** Input the command line cannot read: a missing file, a mesh config file that is not a mapping. */
  UnreadableInput: {
    code: 'CDK8SISTIO0002',
    name: 'UnreadableInput',
    level: DiagnosticLevel.ERROR,
    template: 'Cannot read the input: %v',
    args: ['detail'],
  },
  /** A command line that `cdk8s-istio` does not accept. */
  InvalidCommandLine: {
    code: 'CDK8SISTIO0003',
    name: 'InvalidCommandLine',
    level: DiagnosticLevel.ERROR,
    template: 'Invalid command line: %v',
    args: ['detail'],
  },
  // CDK8SISTIO0301-0399: Gateway API objects, for the conditions istiod sets on them (pilot/pkg/config/kube/gateway).
  // The condition reason Istio reports is the message's first argument, so a user can match it to `kubectl get`.
  /** A parentRef whose sectionName or port matches no listener (Accepted=False, NoMatchingParent). */
  GatewayApiNoMatchingParent: {
    code: 'CDK8SISTIO0301',
    name: 'GatewayApiNoMatchingParent',
    level: DiagnosticLevel.ERROR,
    template: 'The route is not accepted by parent %s (%s): %s',
    args: ['parent', 'reason', 'condition'],
  },
  /** No listener admits the route's namespace or kind (Accepted=False, NotAllowedByListeners). */
  GatewayApiNotAllowedByListeners: {
    code: 'CDK8SISTIO0302',
    name: 'GatewayApiNotAllowedByListeners',
    level: DiagnosticLevel.ERROR,
    template: 'The route is not accepted by parent %s (%s): %s',
    args: ['parent', 'reason', 'condition'],
  },
  /** No listener hostname intersects the route's hostnames (Accepted=False, NoMatchingListenerHostname). */
  GatewayApiNoMatchingListenerHostname: {
    code: 'CDK8SISTIO0303',
    name: 'GatewayApiNoMatchingListenerHostname',
    level: DiagnosticLevel.ERROR,
    template: 'The route is not accepted by parent %s (%s): %s',
    args: ['parent', 'reason', 'condition'],
  },
  /** A backendRef of a kind Istio cannot route to (ResolvedRefs=False, InvalidKind). */
  GatewayApiBackendInvalidKind: {
    code: 'CDK8SISTIO0304',
    name: 'GatewayApiBackendInvalidKind',
    level: DiagnosticLevel.ERROR,
    template: 'The backend is dropped (%s): %s',
    args: ['reason', 'condition'],
  },
  /** A reference into another namespace that no ReferenceGrant there allows (ResolvedRefs=False, RefNotPermitted). */
  GatewayApiRefNotPermitted: {
    code: 'CDK8SISTIO0305',
    name: 'GatewayApiRefNotPermitted',
    level: DiagnosticLevel.ERROR,
    template: 'The reference is refused (%s): %s',
    args: ['reason', 'condition'],
  },
  /** A backendRef Istio refuses outright, e.g. without a port (ResolvedRefs=False, InvalidDestination). */
  GatewayApiInvalidBackend: {
    code: 'CDK8SISTIO0306',
    name: 'GatewayApiInvalidBackend',
    level: DiagnosticLevel.ERROR,
    template: 'The route rule is refused (%s): %s',
    args: ['reason', 'condition'],
  },
  /**
   * A backendRef port the Service or ServiceEntry does not expose. istiod sets no condition for it; the traffic
   * finds no endpoint at run time.
   */
  GatewayApiBackendPortNotFound: {
    code: 'CDK8SISTIO0307',
    name: 'GatewayApiBackendPortNotFound',
    level: DiagnosticLevel.ERROR,
    template: 'Backend %s has no port %d, so its traffic finds no endpoint.',
    args: ['backend', 'port'],
  },
  /** A listener whose allowedRoutes.kinds lists a kind Istio does not serve on it (ResolvedRefs=False, InvalidRouteKinds). */
  GatewayApiInvalidRouteKinds: {
    code: 'CDK8SISTIO0308',
    name: 'GatewayApiInvalidRouteKinds',
    level: DiagnosticLevel.ERROR,
    template: 'Listener %s is not fully programmed (%s): %s',
    args: ['listener', 'reason', 'condition'],
  },
  /** A listener protocol Istio does not implement (Accepted=False, UnsupportedProtocol). */
  GatewayApiUnsupportedProtocol: {
    code: 'CDK8SISTIO0309',
    name: 'GatewayApiUnsupportedProtocol',
    level: DiagnosticLevel.ERROR,
    template: 'Listener %s is not programmed (%s): %s',
    args: ['listener', 'reason', 'condition'],
  },
  /** A listener certificateRef Istio cannot use (ResolvedRefs=False, InvalidCertificateRef). */
  GatewayApiInvalidCertificateRef: {
    code: 'CDK8SISTIO0310',
    name: 'GatewayApiInvalidCertificateRef',
    level: DiagnosticLevel.ERROR,
    template: 'Listener %s is not programmed (%s): %s',
    args: ['listener', 'reason', 'condition'],
  },
  /** A route kind Istio does not implement (UDPRoute): istiod ignores the object and sets no status. */
  GatewayApiUnsupportedRouteKind: {
    code: 'CDK8SISTIO0311',
    name: 'GatewayApiUnsupportedRouteKind',
    level: DiagnosticLevel.ERROR,
    template: 'Istio does not implement %s; istiod ignores this route.',
    args: ['kind'],
  },
  /** A Gateway's spec.tls.backend.clientCertificateRef Istio cannot use (Gateway ResolvedRefs=False, InvalidClientCertificateRef). */
  GatewayApiInvalidClientCertificateRef: {
    code: 'CDK8SISTIO0312',
    name: 'GatewayApiInvalidClientCertificateRef',
    level: DiagnosticLevel.ERROR,
    template: 'The Gateway does not resolve its references (%s): %s',
    args: ['reason', 'condition'],
  },
  /** A frontend caCertificateRef Istio cannot use (Listener ResolvedRefs=False, InvalidCACertificateRef or InvalidCACertificateKind). */
  GatewayApiInvalidCACertificateRef: {
    code: 'CDK8SISTIO0313',
    name: 'GatewayApiInvalidCACertificateRef',
    level: DiagnosticLevel.ERROR,
    template: 'The listeners this validation applies to are not programmed (%s): %s',
    args: ['reason', 'condition'],
  },
  /** A ListenerSet whose parent Gateway's allowedListeners does not admit it (ListenerSet Accepted=False, NotAllowed). */
  GatewayApiListenerSetNotAllowed: {
    code: 'CDK8SISTIO0314',
    name: 'GatewayApiListenerSetNotAllowed',
    level: DiagnosticLevel.ERROR,
    template: 'The ListenerSet is not accepted by Gateway %s (%s): %s',
    args: ['gateway', 'reason', 'condition'],
  },
} satisfies Record<string, MessageType>;

/** Every message the analysis reports. @internal */
export const Messages = { ...istio(), ...OWN };

/** Every message by code. @internal */
export const MESSAGES_BY_CODE: ReadonlyMap<string, MessageType> = new Map(Object.values(Messages).map(m => [m.code, m]));

/** Istio's reference page for an IST code; our own codes have none. @internal */
export function documentationUrl(code: string): string | undefined {
  return /^IST\d{4}$/.test(code) ? `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/` : undefined;
}

function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (v instanceof Error) return v.message;
  return String(v);
}

/** `%q`: Go quotes each string of a slice (`["a" "b"]`), a string as a whole. */
function goQuoted(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goQuoted).join(' ')}]`;
  return JSON.stringify(goValue(v));
}

/**
 * Fill a Go format string the way Istio's `fmt.Sprintf` does for the verbs its templates use. Missing arguments
 * render as Go renders them (`%!v(MISSING)`), so a wrong call site shows in the output rather than hiding.
 * @internal
 */
export function fillTemplate(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%([%svqd])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const v = args[i++];
    return verb === 'q' ? goQuoted(v) : goValue(v);
  });
}

/**
 * The first sentence of a finding: the message's template, filled in. A message with one free-text argument
 * (`Schema validation error: %v`, `Deprecated: %s`) takes our detail as that argument unless `args` are given.
 * @internal
 */
export function formatMessage(msg: MessageType, args: readonly unknown[] | undefined, detail: string): string {
  if (args === undefined && msg.args.length === 1) return fillTemplate(msg.template, [detail]);
  return fillTemplate(msg.template, args ?? []);
}

/** Join the fix to the parenthesis that shows the value (`(got 0; 1-65535)`), or add one. */
function withFix(text: string, fix: string | undefined): string {
  if (!fix) return text;
  return text.endsWith(')') && text.includes(' (got ') ? `${text.slice(0, -1)}; ${fix})` : `${text} (${fix})`;
}

/** Our detail with the fix: `<Kind>.<field>: <what is wrong> (got <value>; <fix>)`. @internal */
export function detailWithFix(d: Diagnostic): string {
  return withFix(d.detail, d.fix);
}

/**
 * A diagnostic as one text: Istio's message first (users search for it), then our detail unless the message
 * already carries it, with the fix: `Schema validation error: Gateway.spec.servers[0].port.number: ... (got 0;
 * 1-65535)`, or `Referenced gateway not found: "x". VirtualService.spec.gateways[0]: ... (got "x"; fix)`.
 * @internal
 */
export function renderDiagnosticText(d: Diagnostic): string {
  let text = d.message;
  if (d.detail && !text.includes(d.detail)) text = `${/[.!?]$/.test(text) ? text : text + '.'} ${d.detail}`;
  return withFix(text, d.fix);
}

/**
 * A diagnostic on one line, as synth failures print it after cdk8s's `[<construct path>] `: the code, then
 * `renderDiagnosticText`.
 * @internal
 */
export function renderDiagnosticLine(d: Diagnostic): string {
  return `${d.code} ${renderDiagnosticText(d)}`;
}
