// istioctl analyze's namespace injection check (IST0123): a Namespace must choose one way into the mesh.
import { ObjectRule } from '../engine';
import { Messages } from '../messages';

/** IST0123 NamespaceMultipleInjectionLabels. @internal */
export const namespaceRule: ObjectRule = {
  kinds: ['/Namespace'],
  check(obj, r) {
    const labels = obj.metadata?.labels ?? {};
    const set = [
      labels['istio-injection'] === 'enabled' ? 'istio-injection=enabled' : undefined,
      labels['istio.io/rev'] !== undefined ? `istio.io/rev=${labels['istio.io/rev']}` : undefined,
      labels['istio.io/dataplane-mode'] === 'ambient' ? 'istio.io/dataplane-mode=ambient' : undefined,
    ].filter((x): x is string => x !== undefined);
    if (set.length > 1) {
      r(Messages.NamespaceMultipleInjectionLabels, { field: 'metadata.labels', args: [set], problem: 'the namespace selects more than one data-plane mode; Istio honours only one of them', got: set, fix: 'one of istio-injection=enabled, istio.io/rev=<revision>, istio.io/dataplane-mode=ambient' });
    }
  },
};
