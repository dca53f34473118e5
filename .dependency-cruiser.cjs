/** The room graph (see DESIGN.md): checked in `npm test` so that it stays one-way. */
module.exports = {
  forbidden: [
    {name: 'no-circular', severity: 'error', comment: 'Rooms and files flow one way.', from: {}, to: {circular: true}},
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    tsConfig: {fileName: 'tsconfig.json'},
    tsPreCompilationDeps: true,
  },
}
