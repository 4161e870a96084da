#!/usr/bin/env bash
# A user's first hour: a fresh cdk8s app outside this repository installs the packed library, builds a
# Gateway from a cdk8s-plus Service's namespace, runs `cdk8s synth`, and the output passes both checkers.
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
cat > cdk8s.yaml <<'YAML'
language: typescript
app: npx ts-node main.ts
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
