import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {check} from './helpers.js'

/**
 * Calico's own validator test table (projectcalico/calico libcalico-go/lib/validator/v3/validator_test.go, v3.32.1),
 * turned into resources by upstream-cases/port.mjs: every case Calico accepts must give no error-level finding,
 * every case it rejects at least one. Cases of kinds xctl does not model are listed in the data as skipped.
 */
interface UpstreamCase {
  line: number
  name: string
  valid: boolean
  object: unknown
}

const DATA = JSON.parse(
  readFileSync(new URL('./upstream-cases/validator_test.v3.32.1.json', import.meta.url), 'utf8'),
  (_key, v) => (v !== null && typeof v === 'object' && '$repeat' in v ? String(v.$repeat).repeat(v.count) : v),
) as {cases: UpstreamCase[]; skipped: Array<{line: number; name: string; reason: string}>}

test(`Calico's validator test table: ${DATA.cases.length} cases ported (${DATA.skipped.length} skipped, see upstream-cases/README.md)`, async () => {
  const wrong: string[] = []
  for (const c of DATA.cases) {
    const r = await check(JSON.stringify(c.object))
    const errors = r.findings.filter((f) => f.severity === 'error')
    if (c.valid && errors.length > 0)
      wrong.push(
        `line ${c.line} "${c.name}": Calico accepts, xctl says ${errors.map((f) => `${f.rule}: ${f.message}`).join('; ')}`,
      )
    if (!c.valid && errors.length === 0)
      wrong.push(
        `line ${c.line} "${c.name}": Calico rejects, xctl finds no error${r.findings.length ? ` (only ${r.findings.map((f) => f.rule).join(', ')})` : ''}`,
      )
  }
  assert.deepEqual(wrong, [], `${wrong.length} of ${DATA.cases.length} upstream cases disagree`)
})
