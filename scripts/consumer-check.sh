#!/usr/bin/env bash
# What a new user does, from the packed library (usage: consumer-check.sh dist/js/cdk8s-istio@<v>.jsii.tgz [shared]):
# 1. The README's Quickstart, read from README.md (so the README cannot drift from what works): its four
#    files written into an empty folder outside the repository and its commands run there, with the tarball's
#    real path; the output passes our analysis and, when ../shared is there, the independent checker.
# 2. In the same app, cdk8s-plus-33 and our cdk8s-cli validation plugin: a Gateway from a Service's namespace
#    synthesizes and passes the plugin; then an app that does not use our constructs synthesizes a broken
#    Gateway as a raw ApiObject, and the plugin, run by cdk8s-cli, fails its synth.
# 3. The CLI on a Telemetry whose access-log filter is not CEL: proves the (trimmed) bundled CEL runs.
# Only the npm registry is needed; npm's cache makes the installs quick.
set -euo pipefail
tgz=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -f "$tgz" ] || { echo "consumer-check: $1 not found (run npx projen build first)"; exit 1; }
shared=${2:-$(cd "$(dirname "$0")/.." && pwd)/../shared}
readme=$(cd "$(dirname "$0")/.." && pwd)/README.md
export npm_config_audit=false npm_config_fund=false npm_config_prefer_offline=true npm_config_update_notifier=false
app=$(mktemp -d)/shop-mesh
mkdir -p "$app" && cd "$app"

# Each `<!-- quickstart-file: NAME -->` (or `<!-- quickstart-commands -->`) marks the fenced block after it.
node - "$readme" "$app" <<'JS'
const fs = require('fs');
const [readme, dir] = process.argv.slice(2);
const lines = fs.readFileSync(readme, 'utf8').split('\n');
const found = [];
for (let i = 0; i < lines.length; i++) {
  const m = /^<!-- quickstart-(?:file: (\S+)|(commands)) -->$/.exec(lines[i]);
  if (!m) continue;
  if (!/^```/.test(lines[i + 1] ?? '')) throw new Error(`README.md:${i + 1}: ${lines[i]} must be followed by a fenced code block`);
  const end = lines.findIndex((l, j) => j > i + 1 && /^```\s*$/.test(l));
  if (end < 0) throw new Error(`README.md:${i + 2}: the code block is not closed`);
  const name = m[1] ?? 'quickstart-commands.sh';
  fs.writeFileSync(`${dir}/${name}`, lines.slice(i + 2, end).join('\n') + '\n');
  found.push(name);
}
for (const need of ['package.json', 'cdk8s.yaml', 'tsconfig.json', 'main.ts', 'quickstart-commands.sh']) {
  if (!found.includes(need)) throw new Error(`README.md: the Quickstart has no block marked for ${need}`);
}
console.log(`consumer-check: the README's Quickstart: ${found.join(', ')}`);
JS

# The README writes the tarball as /path/to/.../cdk8s-istio@<version>.jsii.tgz: give it the real path.
sed -i -E "s#[^ ]*cdk8s-istio@[^ ]*\.tgz#$tgz#" quickstart-commands.sh
grep -q "$tgz" quickstart-commands.sh || { echo "consumer-check: the Quickstart's commands do not install the tarball"; exit 1; }
if ! bash -euo pipefail quickstart-commands.sh > quickstart.log 2>&1; then
  cat quickstart.log; echo "consumer-check: the README's Quickstart failed in $app"; exit 1
fi
[ -f dist/shop.k8s.yaml ] || { cat quickstart.log; echo "consumer-check: the Quickstart wrote no dist/shop.k8s.yaml"; exit 1; }
[ "$(grep -c '^kind: Gateway' dist/shop.k8s.yaml)" = 1 ] || { cat dist/shop.k8s.yaml; echo "consumer-check: expected one Gateway"; exit 1; }
# --partial: the app is part of a cluster; its TLS Secret (shop-cert) is made elsewhere, e.g. by cert-manager.
npx cdk8s-istio analyze --partial dist
if [ -f "$shared/tools/istio-validate.mjs" ]; then node "$shared/tools/istio-validate.mjs" dist; fi
echo "consumer-check: the README's Quickstart synthesized dist/shop.k8s.yaml with the packed cdk8s-istio"
# The (trimmed) bundled Graphviz runs from the packed library.
npx cdk8s-istio graph dist -o svg > graph.svg
grep -q '^<svg' graph.svg || { head -5 graph.svg; echo "consumer-check: graph -o svg printed no SVG"; exit 1; }
echo "consumer-check: graph -o svg rendered $(stat -c %s graph.svg) bytes of SVG with the bundled Graphviz"

# 2. cdk8s-plus and the validation plugin.
npm install --silent cdk8s-plus-33@2.5.57 > install.log 2>&1 || { cat install.log; exit 1; }
version=$(node -p "require('./node_modules/cdk8s-istio/package.json').version")
cat > cdk8s.yaml <<YAML
language: typescript
app: npx ts-node main.ts
validations:
  - package: ./node_modules/cdk8s-istio
    version: $version
    class: IstioValidation
    properties:
      suppress: [IST0134]
YAML
cat > main.ts <<'TS'
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Gateway, GatewayServer, Host, ServerCertificate } from 'cdk8s-istio';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const svc = new kplus.Service(chart, 'web', { ports: [{ port: 8080 }] });
const host = Host.fromService(svc);
new Gateway(chart, 'public', {
  metadata: { namespace: host.namespace },
  servers: [
    GatewayServer.https({ hosts: [`${host.namespace}.example.com`], certificate: ServerCertificate.fromSecret('shop-cert') }),
    GatewayServer.httpsRedirect({ hosts: [`${host.namespace}.example.com`] }),
  ],
});
app.synth();
TS
rm -rf dist
npx cdk8s synth --no-check-upgrade
if [ -f "$shared/tools/istio-validate.mjs" ]; then node "$shared/tools/istio-validate.mjs" dist; fi
npx cdk8s-istio analyze --partial dist
grep -q 'namespace: shop' dist/shop.k8s.yaml
echo "consumer-check: cdk8s-plus-33 and the plugin: synthesized $(grep -c '^kind:' dist/shop.k8s.yaml) object(s)"

# An app without our constructs: the validation plugin alone must catch the broken Gateway.
cat > main.ts <<'TS'
import { ApiObject, App, Chart } from 'cdk8s';

const app = new App();
const chart = new Chart(app, 'raw', { namespace: 'shop' });
new ApiObject(chart, 'gw', {
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'raw-gateway' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'] }] },
});
app.synth();
TS
rm -rf dist
set +e
npx cdk8s synth --no-check-upgrade > plugin.log 2>&1
rc=$?
set -e
if [ "$rc" = 0 ] || ! grep -q 'IST0106' plugin.log; then
  cat plugin.log
  echo "consumer-check: expected cdk8s synth to fail with IST0106 from the IstioValidation plugin (exit $rc)"
  exit 1
fi
echo "consumer-check: the IstioValidation plugin failed the synth of a raw broken Gateway (exit $rc):"
grep -E 'IST0106|raw-gateway' plugin.log | head -5

# 3. The bundled CEL parser, through the CLI.
cat > telemetry.yaml <<'YAML'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: logs, namespace: shop}
spec:
  accessLogging:
  - providers: [{name: envoy}]
    filter: {expression: "response.code >= "}
YAML
set +e
npx cdk8s-istio analyze telemetry.yaml > cel.log 2>&1
rc=$?
set -e
if [ "$rc" != 79 ] || ! grep -q 'IST0106' cel.log || ! grep -q 'filter' cel.log; then
  cat cel.log; echo "consumer-check: expected exit 79 (istioctl's "analyzers found issues") and IST0106 on the access-log filter that is not CEL (exit $rc)"; exit 1
fi
echo "consumer-check: the CLI rejected an access-log filter that is not CEL:"
grep IST0106 cel.log
