// Behaviour tests describe meshes as YAML, the way users and Istio's documentation write them.
import { parseAllDocuments } from 'yaml';
import { MeshModel, MeshModelOptions } from '../../src';

/** The objects of a multi-document YAML string. */
export function objects(yaml: string): any[] {
  return parseAllDocuments(yaml).map(d => d.toJS()).filter(o => o);
}

/** A model of a multi-document YAML string. */
export function model(yaml: string, options?: MeshModelOptions): MeshModel {
  return MeshModel.fromManifests(objects(yaml), options);
}

/** A Service with one HTTP port and a Deployment per version behind it. */
export function service(name: string, namespace: string, port: number, versions: string[] = ['v1']): string {
  const deployments = versions.map(v => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}-${v}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: ${name}, version: ${v} } }
  template:
    metadata: { labels: { app: ${name}, version: ${v} } }
    spec:
      serviceAccountName: ${name}
      containers: [{ name: app, image: example/${name}:${v}, ports: [{ containerPort: ${port} }] }]
`).join('\n---\n');
  return `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: ${port}, targetPort: ${port} }]
---
${deployments}
`;
}

/** A DestinationRule with one subset per version. */
export function subsets(name: string, namespace: string, versions: string[]): string {
  return `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  host: ${name}
  subsets:
${versions.map(v => `  - { name: ${v}, labels: { version: ${v} } }`).join('\n')}
`;
}
