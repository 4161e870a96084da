// A small app for the pattern tests: a Service `app` selecting `app: app`, and Deployments per track.
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { IstioAnalysis } from '../../src';
import { synth } from '../util';

export function deployment(chart: Chart, name: string, labels: { [key: string]: string }): kplus.Deployment {
  return new kplus.Deployment(chart, name, {
    metadata: { name },
    podMetadata: { labels },
    containers: [{ name: 'app', image: `example/${name}:1`, portNumber: 8080, securityContext: { user: 1000 } }],
  });
}

export function service(chart: Chart, name = 'app', selector: { [key: string]: string } = { app: 'app' }, ports = [80]): kplus.Service {
  return new kplus.Service(chart, `${name}-svc`, {
    metadata: { name },
    ports: ports.map(port => ({ name: `http-${port}`, port, targetPort: 8080 })),
    selector: kplus.Pods.select(chart, `${name}-pods`, { labels: selector }),
  });
}

/** The Istio objects of a synthesized chart, after checking the whole output has no analysis findings at all. */
export function istioObjects(chart: Chart): any[] {
  const manifests = synth(chart);
  expect(IstioAnalysis.analyze(manifests)).toEqual([]);
  return manifests.filter(m => m.apiVersion.includes('istio.io'));
}

/**
 * The routing objects (Istio and Gateway API) of a synthesized chart, after checking the whole output has no
 * analysis findings at all.
 */
export function routingObjects(chart: Chart): any[] {
  const manifests = synth(chart);
  expect(IstioAnalysis.analyze(manifests)).toEqual([]);
  return manifests.filter(m => m.apiVersion.includes('istio.io') || m.apiVersion.startsWith('gateway.networking.k8s.io/'));
}
