/**
 * Go's float formatting, against what kubectl v1.32 printed: `{{printf "%v %v %v %v" 1000000.0 0.000001
 * 123456789012.0 100000.0}}` → `1e+06 1e-06 1.23456789012e+11 100000`; the numbers of
 * test/printers/fixtures/template-object.yaml through `-o jsonpath` and `-o go-template`; and printf's %e/%f/%g.
 */
import assert from 'node:assert/strict'
import {test} from 'node:test'

import {formatFloat, goFloat, goNumber} from '../../src/core/goformat.js'

test('%v of a float64 as kubectl prints it: an exponent below 1e-4 and from 1e+06 up, shortest digits', () => {
  const cases: [number, string][] = [
    [1000000, '1e+06'],
    [0.000001, '1e-06'],
    [123456789012, '1.23456789012e+11'],
    [100000, '100000'],
    [1e21, '1e+21'],
    [1.5e-7, '1.5e-07'],
    [0.5, '0.5'],
    [2.5, '2.5'],
    [1e100, '1e+100'],
    [0.0001, '0.0001'],
    [123456.7, '123456.7'],
    [1000000.5, '1.0000005e+06'],
    [0, '0'],
    [-0, '-0'],
    [-1.25e-5, '-1.25e-05'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ]
  for (const [v, want] of cases) assert.equal(goFloat(v), want, String(v))
})

test('numbers from decoded JSON: integers are int64 (plain digits), the rest float64', () => {
  // kubectl: `{{range .spec.numbers}}{{.}} {{end}}` on [1000000, 1e21, 123456789012, -3, 1.0]
  assert.deepEqual([1000000, 1e21, 123456789012, -3, 1.0].map(goNumber), [
    '1000000',
    '1e+21',
    '123456789012',
    '-3',
    '1',
  ])
})

test("printf's %e, %f and %g with a precision round half to even on the exact value, as Go does", () => {
  // kubectl: {{printf "%.0f %.1f %e %g %.3g %6.2f" 2.5 0.25 1000000.0 1e21 123456.0 3.14159}}
  assert.equal(formatFloat(2.5, 'f', 0), '2')
  assert.equal(formatFloat(0.25, 'f', 1), '0.2')
  assert.equal(formatFloat(1e6, 'e', 6), '1.000000e+06')
  assert.equal(formatFloat(1e21, 'g', -1), '1e+21')
  assert.equal(formatFloat(123456, 'g', 3), '1.23e+05')
  assert.equal(formatFloat(3.14159, 'f', 2), '3.14')
  // kubectl: {{printf "%8.3e|%-10.2f|%+.1e" 12345.678 3.14159 -0.000123}} and %f of 1000000.5
  assert.equal(formatFloat(12345.678, 'e', 3), '1.235e+04')
  assert.equal(formatFloat(-0.000123, 'e', 1), '-1.2e-04')
  assert.equal(formatFloat(1000000.5, 'f', 6), '1000000.500000')
  assert.equal(formatFloat(0.1, 'f', 20), '0.10000000000000000555')
  assert.equal(formatFloat(100, 'g', 2), '1e+02')
  assert.equal(formatFloat(0, 'e', 2), '0.00e+00')
  assert.equal(formatFloat(1e21, 'f', 0), '1000000000000000000000')
  assert.equal(formatFloat(0.5, 'f', 0), '0')
  assert.equal(formatFloat(1.5, 'f', 0), '2')
  assert.equal(formatFloat(9.995, 'f', 2), '9.99') // 9.995 is 9.99499999... in binary
  assert.equal(formatFloat(99.5, 'g', 2), '1e+02')
})
