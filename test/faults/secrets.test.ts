import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {parse, stringify} from 'yaml'
import {xctl} from '../helpers/cli.js'
import {exampleObjects, startCluster, type TestCluster} from '../helpers/cluster.js'

/** Credentials from the kubeconfig never reach stdout, stderr or --debug logs, on success or failure. */
let c: TestCluster
let kubeconfig: string
let badKubeconfig: string
let secrets: string[]
const TOKEN = 'test-token-with-a-long-secret-value-0123456789'

before(async () => {
  c = await startCluster({objects: exampleObjects(), tokens: [TOKEN]})
  kubeconfig = join(c.dir, 'kc-secret')
  c.server.writeKubeconfig(kubeconfig, {clientCert: true})
  const kc = parse(readFileSync(kubeconfig, 'utf8'))
  kc.users[0].user.token = TOKEN
  writeFileSync(kubeconfig, stringify(kc))
  const keyData: string = kc.users[0].user['client-key-data']
  const keyPem = Buffer.from(keyData, 'base64').toString('utf8')
  const keyBody = keyPem.split('\n').filter((l) => l && !l.startsWith('-----'))
  secrets = [TOKEN, keyData, ...keyBody.slice(0, 3)]
  badKubeconfig = join(c.dir, 'kc-secret-bad')
  kc.users[0].user.token = 'wrong-' + TOKEN
  delete kc.users[0].user['client-certificate-data']
  writeFileSync(badKubeconfig, stringify(kc))
  mkdirSync(join(c.dir, 'manifests'), {recursive: true})
  writeFileSync(
    join(c.dir, 'manifests', 'nad.yaml'),
    `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: secret-test, namespace: default}
spec: {config: '{"cniVersion":"0.3.1","type":"calico","ipam":{"type":"calico-ipam"}}'}
`,
  )
})
after(() => c.server.close())

const commands = () => [
  ['get', 'wep', '-A', '-o', 'wide'],
  ['get', 'nad', '-A', '-o', 'yaml'],
  ['get', 'wep', 'nope'],
  ['apply', '-f', join(c.dir, 'manifests')],
  ['delete', '-f', join(c.dir, 'manifests')],
  ['version'],
  ['validate', '-f', join(c.dir, 'manifests'), '--cluster'],
  ['describe', 'wep', 'multus-test-pod-1', '-n', 'default'],
  ['describe', 'np', 'internal-access.allow-tcp-6379', '-n', 'production'],
  ['eval', "projectcalico.org/network-interface == 'net1'", '-A'],
]

test('every command with --debug, against a kubeconfig holding a token and a client key, prints neither', async () => {
  for (const kc of [kubeconfig, badKubeconfig]) {
    for (const args of commands()) {
      const r = await xctl([...args, '--debug'], {env: {KUBECONFIG: kc, MULTI_INTERFACE_MODE: 'multus'}})
      const all = r.stdout + r.stderr
      assert.match(r.stderr, /debug: /, `--debug logged something for ${args.join(' ')}`)
      for (const secret of secrets)
        assert.ok(!all.includes(secret), `${args.join(' ')} leaked a secret: ${all.slice(0, 400)}`)
      assert.ok(!all.includes('wrong-' + TOKEN))
    }
  }
})

test('a missing kubeconfig file or a directory in its place gives a clear error (exit 3)', async () => {
  const missing = await xctl(['get', 'wep', '--kubeconfig', join(c.dir, 'nope')])
  assert.equal(missing.code, 3)
  assert.match(missing.stderr, /kubeconfig .*nope does not exist/)
  const dir = await xctl(['get', 'wep', '--kubeconfig', c.dir])
  assert.equal(dir.code, 3)
  assert.match(dir.stderr, /cannot read kubeconfig/)
})

test('secrets from a token file and from the server URL userinfo are never printed either', async () => {
  const kc = parse(readFileSync(kubeconfig, 'utf8'))
  const tokenFile = join(c.dir, 'token-file')
  writeFileSync(tokenFile, `${TOKEN}\n`)
  const password = 'userinfo-password-in-the-server-url'
  kc.clusters[0].cluster.server = kc.clusters[0].cluster.server.replace('https://', `https://admin:${password}@`)
  kc.users[0].user = {tokenFile}
  const path = join(c.dir, 'kc-token-file')
  writeFileSync(path, stringify(kc))
  for (const args of commands()) {
    const r = await xctl([...args, '--debug'], {env: {KUBECONFIG: path, MULTI_INTERFACE_MODE: 'multus'}})
    const all = r.stdout + r.stderr
    assert.match(r.stderr, /debug: /)
    for (const secret of [TOKEN, password])
      assert.ok(!all.includes(secret), `${args.join(' ')} leaked a secret: ${all.slice(0, 400)}`)
  }
})
