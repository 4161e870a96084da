// Istio's deployment.* analyzers: an in-mesh Deployment selected by several Services of its namespace that use
// one port number with different protocols (IST0116) or map one targetPort from different ports (IST0137), and
// application containers that run as UID 1337, the proxy's user (IST0144).
import { deploymentInMesh, isIstioControlPlane } from './mesh-index';
import { CrossRule } from '../engine';
import { Messages } from '../messages';
import { objOf } from '../objects';

const DEPLOYMENT = 'apps/Deployment';
const PROXY_CONTAINERS = new Set(['istio-proxy', 'istio-operator']);
const WAYPOINT_LABEL = 'gateway.istio.io/managed';

/** deployment.ServiceAssociationAnalyzer (Istio's metadata name: deployment.MultiServiceAnalyzer). @internal */
export const serviceAssociationAnalyzer: CrossRule = {
  name: 'deployment.ServiceAssociationAnalyzer',
  check(ctx) {
    const services = ctx.ofKind('/Service');
    for (const d of ctx.ofKind(DEPLOYMENT)) {
      if (objOf(d?.metadata?.labels)[WAYPOINT_LABEL] === 'istio.io-mesh-controller' || !deploymentInMesh(ctx, d)) continue;
      const ns = ctx.namespaceOf(d);
      const podLabels = objOf(d?.spec?.template?.metadata?.labels);
      const matching = services.filter(s => {
        const selector = objOf(s?.spec?.selector);
        const keys = Object.keys(selector);
        return keys.length > 0 && ctx.namespaceOf(s) === ns && keys.every(k => podLabels[k] === selector[k]);
      });
      const name = String(d?.metadata?.name ?? '');
      // port -> protocol -> services; targetPort -> port -> service (the last one wins, as in Istio's map).
      const byPort = new Map<number, Map<string, string[]>>();
      const byTarget = new Map<string, Map<number, string>>();
      for (const s of matching) {
        const sName = `${ctx.namespaceOf(s)}/${s?.metadata?.name}`;
        for (const p of Array.isArray(s?.spec?.ports) ? s.spec.ports : []) {
          if (typeof p?.port !== 'number') continue;
          const protocol = typeof p.protocol === 'string' && p.protocol ? p.protocol : 'TCP';
          let protocols = byPort.get(p.port);
          if (!protocols) byPort.set(p.port, (protocols = new Map()));
          protocols.set(protocol, [...(protocols.get(protocol) ?? []), sName]);
          const target = p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '' ? String(p.port) : String(p.targetPort);
          let ports = byTarget.get(target);
          if (!ports) byTarget.set(target, (ports = new Map()));
          ports.set(p.port, sName);
        }
      }
      const r = ctx.reporterFor(d);
      for (const [port, protocols] of byPort) {
        if (protocols.size < 2) continue;
        const names = [...protocols.values()].flat().sort();
        r(Messages.DeploymentAssociatedToMultipleServices, { args: [name, port, names], field: 'metadata.name', problem: `Deployment ${name} is selected by Services that use port ${port} with different protocols (${[...protocols.keys()].join(', ')}): ${names.join(', ')}`, got: port, fix: 'give the port one protocol in every Service that selects this Deployment' });
      }
      for (const [target, ports] of byTarget) {
        if (ports.size < 2) continue;
        const names = [...ports.values()].sort();
        const numbers = [...ports.keys()].sort((a, b) => a - b);
        r(Messages.DeploymentConflictingPorts, { args: [name, names, target, numbers], field: 'metadata.name', problem: `Deployment ${name} is selected by Services ${names.join(', ')} that map targetPort ${target} from different ports (${numbers.join(', ')})`, got: target, fix: 'use one Service port per targetPort' });
      }
    }
  },
};

const RESERVED_UID = 1337;

/** deployment.ApplicationUIDAnalyzer. @internal */
export const applicationUIDAnalyzer: CrossRule = {
  name: 'deployment.ApplicationUIDAnalyzer',
  check(ctx) {
    const scan = (obj: any, spec: any, at: string) => {
      if (isIstioControlPlane(obj)) return;
      const r = ctx.reporterFor(obj);
      // Istio's message has no arguments: a pod-level and a container-level UID 1337 make one message.
      let reported = false;
      const report = (field: string) => {
        if (reported) return;
        reported = true;
        r(Messages.InvalidApplicationUID, { field, problem: `runs as UID ${RESERVED_UID}, the user ID reserved for the sidecar proxy, so its traffic bypasses the proxy`, got: RESERVED_UID, fix: 'run the application as another user' });
      };
      if (spec?.securityContext?.runAsUser === RESERVED_UID) report(`${at}securityContext.runAsUser`);
      const containers: any[] = Array.isArray(spec?.containers) ? spec.containers : [];
      containers.forEach((c, i) => {
        if (!PROXY_CONTAINERS.has(c?.name) && c?.securityContext?.runAsUser === RESERVED_UID) report(`${at}containers[${i}].securityContext.runAsUser`);
      });
    };
    for (const p of ctx.ofKind('/Pod')) scan(p, p?.spec, 'spec.');
    for (const d of ctx.ofKind(DEPLOYMENT)) scan(d, d?.spec?.template?.spec, 'spec.template.spec.');
  },
};
