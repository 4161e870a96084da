// Istio's annotations.K8sAnalyzer over Namespaces, Services, Pods and Deployments: unknown Istio annotations
// (IST0108), annotations on a resource type they do not apply to (IST0107), deprecated ones (IST0135) and
// values the sidecar injector would reject (IST0125).
//
// The registry below is a compact copy of istio/api `annotation/annotations.gen.go` (AllResourceAnnotations):
// name, the resource types it applies to and whether it is deprecated. It covers the annotations of the
// Istio release ANALYZERS.md was written against (1.32-dev); annotations added later are reported as unknown
// until the list is updated. Value validators cover the injector's numeric, port, CIDR and mode checks
// (pkg/kube/inject AnnotationValidation), not every annotation.
import { isIP } from '../../core/validate';
import { CrossRule } from '../engine';
import { Messages } from '../messages';

type Res = 'Any' | 'Deployment' | 'AuthorizationPolicy' | 'Gateway' | 'GatewayClass' | 'Ingress' | 'Namespace' | 'Pod' | 'Service' | 'ServiceEntry' | 'WorkloadEntry';

const POD: Res[] = ['Pod'];
const DEPRECATED = new Set([
  'alpha.istio.io/canonical-serviceaccounts', 'alpha.istio.io/kubernetes-serviceaccounts', 'sidecar.istio.io/discoveryAddress',
  'sidecar.istio.io/extraStatTags', 'sidecar.istio.io/inject', 'sidecar.istio.io/statsInclusionPrefixes',
  'sidecar.istio.io/statsInclusionRegexps', 'sidecar.istio.io/statsInclusionSuffixes',
]);
const POD_ANNOTATIONS = [
  'ambient.istio.io/bypass-inbound-capture', 'ambient.istio.io/redirection', 'inject.istio.io/templates', 'istio.io/rev',
  'prometheus.istio.io/merge-metrics', 'proxy.istio.io/config', 'proxy.istio.io/overrides',
  'readiness.status.sidecar.istio.io/applicationPorts', 'readiness.status.sidecar.istio.io/failureThreshold',
  'readiness.status.sidecar.istio.io/initialDelaySeconds', 'readiness.status.sidecar.istio.io/periodSeconds',
  'sidecar.istio.io/agentLogLevel', 'sidecar.istio.io/bootstrapOverride', 'sidecar.istio.io/componentLogLevel',
  'sidecar.istio.io/discoveryAddress', 'sidecar.istio.io/enableCoreDump', 'sidecar.istio.io/extraStatTags', 'sidecar.istio.io/inject',
  'sidecar.istio.io/interceptionMode', 'sidecar.istio.io/logLevel', 'sidecar.istio.io/nativeSidecar', 'sidecar.istio.io/proxyCPU',
  'sidecar.istio.io/proxyCPULimit', 'sidecar.istio.io/proxyImage', 'sidecar.istio.io/proxyImageType', 'sidecar.istio.io/proxyMemory',
  'sidecar.istio.io/proxyMemoryLimit', 'sidecar.istio.io/rewriteAppHTTPProbers', 'sidecar.istio.io/statsHistogramBuckets',
  'sidecar.istio.io/statsInclusionPrefixes', 'sidecar.istio.io/statsInclusionRegexps', 'sidecar.istio.io/statsInclusionSuffixes',
  'sidecar.istio.io/status', 'sidecar.istio.io/userVolume', 'sidecar.istio.io/userVolumeMount', 'status.sidecar.istio.io/port',
  'traffic.sidecar.istio.io/excludeInboundPorts', 'traffic.sidecar.istio.io/excludeInterfaces',
  'traffic.sidecar.istio.io/excludeOutboundIPRanges', 'traffic.sidecar.istio.io/excludeOutboundPorts',
  'traffic.sidecar.istio.io/includeInboundPorts', 'traffic.sidecar.istio.io/includeOutboundIPRanges',
  'traffic.sidecar.istio.io/includeOutboundPorts', 'traffic.sidecar.istio.io/kubevirtInterfaces',
];

/** Istio's annotation registry: name → resource types. */
const ISTIO_ANNOTATIONS: ReadonlyMap<string, readonly Res[]> = new Map<string, readonly Res[]>([
  ...POD_ANNOTATIONS.map(n => [n, POD] as [string, Res[]]),
  ['alpha.istio.io/canonical-serviceaccounts', ['Service']],
  ['alpha.istio.io/kubernetes-serviceaccounts', ['Service']],
  ['ambient.istio.io/waypoint-inbound-binding', ['GatewayClass', 'Gateway']],
  ['galley.istio.io/analyze-suppress', ['Any']],
  ['gateway.istio.io/controller-version', ['Any']],
  ['gateway.istio.io/name-override', ['Gateway']],
  ['gateway.istio.io/service-account', ['Gateway']],
  ['istio.io/autoRegistrationGroup', ['WorkloadEntry']],
  ['istio.io/connectedAt', ['WorkloadEntry']],
  ['istio.io/disconnectedAt', ['WorkloadEntry']],
  ['istio.io/workloadController', ['WorkloadEntry']],
  ['istio.io/dry-run', ['AuthorizationPolicy']],
  ['kubernetes.io/ingress.class', ['Ingress']],
  ['networking.istio.io/exportTo', ['Service']],
  ['networking.istio.io/service-type', ['Gateway']],
  ['networking.istio.io/traffic-distribution', ['Service', 'ServiceEntry']],
  ['topology.istio.io/controlPlaneClusters', ['Namespace']],
  ['traffic.istio.io/nodeSelector', ['Service']],
]);

const int = (v: string) => (/^[0-9]+$/.test(v) && Number(v) <= 2147483647 ? undefined : 'must be a non-negative integer');
const port = (v: string) => (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : `"${v}" is not a port (1-65535)`);
const ports = (v: string) => (v.trim() === '' ? undefined : v.split(',').map(s => s.trim()).map(port).find(Boolean));
const portsOrStar = (v: string) => (v.trim() === '*' ? undefined : ports(v));
const cidrs = (v: string) => {
  if (v.trim() === '*' || v.trim() === '') return undefined;
  for (const c of v.split(',').map(s => s.trim())) {
    const [ip, bits] = c.split('/');
    if (!isIP(ip) || (bits !== undefined && !/^[0-9]+$/.test(bits))) return `"${c}" is not a CIDR range`;
  }
  return undefined;
};

/** The injector's value checks, keyed by annotation. */
const VALIDATORS: Record<string, (v: string) => string | undefined> = {
  'readiness.status.sidecar.istio.io/initialDelaySeconds': int,
  'readiness.status.sidecar.istio.io/periodSeconds': int,
  'readiness.status.sidecar.istio.io/failureThreshold': int,
  'readiness.status.sidecar.istio.io/applicationPorts': ports,
  'status.sidecar.istio.io/port': v => (v === '0' ? undefined : port(v)),
  'sidecar.istio.io/interceptionMode': v => (['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : 'must be REDIRECT, TPROXY or NONE'),
  'traffic.sidecar.istio.io/includeInboundPorts': portsOrStar,
  'traffic.sidecar.istio.io/excludeInboundPorts': ports,
  'traffic.sidecar.istio.io/includeOutboundPorts': ports,
  'traffic.sidecar.istio.io/excludeOutboundPorts': ports,
  'traffic.sidecar.istio.io/includeOutboundIPRanges': cidrs,
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': cidrs,
};

function isIstioAnnotation(key: string): boolean {
  if (key === 'kubernetes.io/ingress.class') return true;
  const slash = key.indexOf('/');
  return slash > 0 && key.slice(0, slash).endsWith('istio.io');
}

const KINDS: Array<[string, Res]> = [['/Namespace', 'Namespace'], ['/Service', 'Service'], ['/Pod', 'Pod'], ['apps/Deployment', 'Deployment']];

/** annotations.K8sAnalyzer. @internal */
export const annotationsAnalyzer: CrossRule = {
  name: 'annotations.K8sAnalyzer',
  check(ctx) {
    for (const [gk, kind] of KINDS) {
      for (const obj of ctx.ofKind(gk)) {
        const annotations: Record<string, unknown> = obj?.metadata?.annotations ?? {};
        const r = ctx.reporterFor(obj);
        for (const [key, value] of Object.entries(annotations)) {
          if (!isIstioAnnotation(key)) continue;
          const field = `metadata.annotations.${key}`;
          const resources = ISTIO_ANNOTATIONS.get(key);
          if (!resources) {
            r(Messages.UnknownAnnotation, { args: [key], field, problem: `"${key}" is not an Istio annotation`, fix: 'check the spelling against istio.io/latest/docs/reference/config/annotations' });
            continue;
          }
          if (DEPRECATED.has(key) && !(key === 'sidecar.istio.io/inject' && key in (obj?.metadata?.labels ?? {}))) {
            const extra = key === 'sidecar.istio.io/inject' ? ' in favour of the "sidecar.istio.io/inject" label' : '';
            r(Messages.DeprecatedAnnotation, { args: [key, extra], field, problem: `"${key}" is deprecated${extra}` });
          }
          if (resources.includes('Any')) continue;
          if (!resources.includes(kind)) {
            r(Messages.MisplacedAnnotation, { args: [key, resources.join(', ')], field, problem: `"${key}" applies to ${resources.join(', ')}, not to a ${kind}`, fix: kind === 'Deployment' ? 'put it on the pod template (spec.template.metadata.annotations)' : undefined });
            continue;
          }
          const problem = VALIDATORS[key]?.(String(value));
          if (problem) r(Messages.InvalidAnnotation, { args: [key, problem], field, problem: `invalid value for "${key}": ${problem}`, got: value });
        }
      }
    }
  },
};
