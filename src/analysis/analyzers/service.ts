// Istio's service.PortNameAnalyzer: a Service port whose protocol Istio cannot tell from its name or
// appProtocol gets protocol sniffing (IST0118); on an ExternalName Service it breaks routing (IST0150).
import { isIstioControlPlane } from './mesh-index';
import { CrossRule } from '../engine';
import { Messages } from '../messages';

// Prefixes Istio's ConvertProtocol understands (`<protocol>` or `<protocol>-<suffix>`), lower-cased.
const PROTOCOLS = new Set(['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis', 'http_proxy', 'hbone']);
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);
const MANAGED = new Set(['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller']);

/** The protocol Istio derives from a Service port, or undefined when it cannot tell. @internal */
export function portProtocol(port: any): string | undefined {
  if (typeof port?.protocol === 'string' && port.protocol.toUpperCase() === 'UDP') return 'udp';
  const app = typeof port?.appProtocol === 'string' ? port.appProtocol.toLowerCase() : '';
  if (app) {
    const known = PROTOCOLS.has(app) ? app : app === 'kubernetes.io/h2c' ? 'http2' : app === 'kubernetes.io/ws' || app === 'kubernetes.io/wss' ? 'http' : undefined;
    if (known) return known;
  }
  const name = typeof port?.name === 'string' ? port.name.toLowerCase() : '';
  if (name.startsWith('grpc-web')) return 'grpc-web';
  const prefix = name.split('-')[0];
  return PROTOCOLS.has(prefix) ? prefix : undefined;
}

/** service.PortNameAnalyzer. @internal */
export const portNameAnalyzer: CrossRule = {
  name: 'service.PortNameAnalyzer',
  check(ctx) {
    for (const svc of ctx.ofKind('/Service')) {
      if (SYSTEM_NAMESPACES.has(ctx.namespaceOf(svc)) || isIstioControlPlane(svc)) continue;
      if (MANAGED.has(svc?.metadata?.labels?.['gateway.istio.io/managed'])) continue;
      const external = svc?.spec?.type === 'ExternalName';
      const ports: any[] = Array.isArray(svc?.spec?.ports) ? svc.spec.ports : [];
      ports.forEach((p, i) => {
        const protocol = portProtocol(p);
        if (protocol && !(external && p?.name === 'tcp')) return;
        const r = ctx.reporterFor(svc);
        if (external) {
          r(Messages.ExternalNameServiceTypeInvalidPortName, { field: `spec.ports[${i}].name`, problem: 'an ExternalName Service port needs a protocol-prefixed name other than "tcp", or Istio cannot route to it', got: p?.name ?? '', fix: 'e.g. "https" or "http-web"' });
        } else {
          r(Messages.PortNameIsNotUnderNamingConvention, { args: [p?.name ?? '', p?.port, String(p?.targetPort ?? p?.port)], field: `spec.ports[${i}].name`, problem: `port ${p?.port} has no protocol in its name or appProtocol, so Istio sniffs the protocol`, got: p?.name ?? '', fix: 'name it <protocol>[-<suffix>] (http, http2, https, grpc, tcp, tls, ...) or set appProtocol' });
        }
      });
    }
  },
};
