#!/usr/bin/env bash
# A user's first hour: a fresh cdk8s app outside this repository installs the packed library, builds a
# Gateway from a cdk8s-plus Service's namespace, runs `cdk8s synth` with our cdk8s-cli validation plugin, and
# the output passes both checkers. Then an app that does not use our constructs at all synthesizes a broken
# Gateway as a raw ApiObject, and the plugin, run by cdk8s-cli, fails its synth.
set -euo pipefail
tgz=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shared=$2
app=$(mktemp -d)/consumer
mkdir -p "$app" && cd "$app"
cat > package.json <<'JSON'
{ "name": "consumer", "version": "0.0.0", "private": true }
JSON
npm install --no-audit --no-fund --silent "$tgz" cdk8s@2.70.106 constructs@10.8.1 cdk8s-cli@2.207.60 \
  cdk8s-plus-33@2.5.57 typescript@~6.0.3 ts-node@^10.9.2 @types/node@^20 > install.log 2>&1 || { cat install.log; exit 1; }
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
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": true, "types": ["node"] } }
JSON
cat > main.ts <<'TS'
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Gateway, GatewayServer, Host } from 'cdk8s-istio';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const svc = new kplus.Service(chart, 'web', { ports: [{ port: 8080 }] });
const host = Host.fromService(svc);
new Gateway(chart, 'public', {
  metadata: { namespace: host.namespace },
  servers: [
    GatewayServer.https({ hosts: [`${host.namespace}.example.com`], credentialName: 'shop-cert' }),
    GatewayServer.httpsRedirect({ hosts: [`${host.namespace}.example.com`] }),
  ],
});
app.synth();
TS
npx cdk8s synth --no-check-upgrade
node "$shared/tools/istio-validate.mjs" dist
npx cdk8s-istio analyze dist
grep -q 'namespace: shop' dist/shop.k8s.yaml
echo "consumer app: synthesized $(grep -c '^kind:' dist/shop.k8s.yaml) object(s) with the packed cdk8s-istio"

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
  echo "expected cdk8s synth to fail with IST0106 from the IstioValidation plugin (exit $rc)"
  exit 1
fi
echo "consumer app: the IstioValidation plugin failed the synth of a raw broken Gateway (exit $rc):"
grep -E 'IST0106|raw-gateway' plugin.log | head -5
