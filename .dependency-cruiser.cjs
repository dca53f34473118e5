/**
 * The room graph (DESIGN.md), checked in `npm test`: each room may import only the rooms listed for it, so the
 * rooms flow one way; `core` imports nothing of ours and nothing imports `cli` but the commands.
 */
const ROOMS = {
  core: [],
  manifests: ['core'],
  multus: ['core'],
  selector: ['core'],
  jsonpath: ['core'],
  gotemplate: ['core'],
  kube: ['core'],
  sources: ['core', 'kube', 'manifests'],
  workloadendpoints: ['core', 'kube', 'multus'],
  resources: ['core', 'kube', 'multus', 'sources', 'workloadendpoints'],
  printers: ['core', 'gotemplate', 'jsonpath', 'kube', 'resources'],
  get: ['core', 'jsonpath', 'kube', 'manifests', 'resources', 'selector', 'sources', 'workloadendpoints'],
  validation: ['core', 'get', 'kube', 'manifests', 'multus', 'resources', 'selector', 'sources', 'workloadendpoints'],
  apply: ['core', 'get', 'kube', 'manifests', 'resources', 'sources', 'validation', 'workloadendpoints'],
  insight: ['core', 'get', 'kube', 'printers', 'resources', 'selector', 'sources', 'workloadendpoints'],
  version: ['core', 'get', 'kube', 'resources', 'sources'],
  ipam: ['core', 'get', 'kube', 'resources', 'sources'],
  cli: ['apply', 'core', 'get', 'kube', 'manifests', 'printers', 'resources', 'sources', 'validation'],
}

const roomRules = Object.entries(ROOMS).map(([room, allowed]) => ({
  name: `room-${room}`,
  severity: 'error',
  comment: `src/${room} may import only: ${allowed.join(', ') || 'nothing of ours'}`,
  from: {path: `^src/${room}/`},
  to: {path: '^src/', pathNot: `^src/(${[room, ...allowed].join('|')})/`},
}))

module.exports = {
  forbidden: [
    {name: 'no-circular', severity: 'error', comment: 'Rooms and files flow one way.', from: {}, to: {circular: true}},
    {
      name: 'known-rooms',
      severity: 'error',
      comment: 'A new room goes into ROOMS (and DESIGN.md).',
      from: {path: '^src/', pathNot: `^src/(${Object.keys(ROOMS).join('|')})/`},
      to: {},
    },
    {
      name: 'src-not-commands',
      severity: 'error',
      comment: 'Logic never reaches up into the commands.',
      from: {path: '^src/'},
      to: {path: '^(commands|test|bench)/'},
    },
    {
      name: 'test-apiserver-self-contained',
      severity: 'error',
      comment:
        'The API test server (test/support, package @xctl/test-apiserver) imports nothing of xctl or of the tests.',
      from: {path: '^test/support/'},
      to: {path: '^(src|commands|test|bench)/', pathNot: '^test/support/'},
    },
    ...roomRules,
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    exclude: {path: '^(node_modules|dist)/'},
    tsConfig: {fileName: 'tsconfig.json'},
    tsPreCompilationDeps: true,
  },
}
