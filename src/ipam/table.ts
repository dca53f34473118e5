/**
 * A table as calicoctl v3.32 draws its ipam tables (github.com/olekukonko/tablewriter defaults): `+---+` borders,
 * headers centred (the odd space on the right), numbers right-aligned, other cells left-aligned.
 */
const NUMBER = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$/

export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+\n'
  const centre = (s: string, w: number) => {
    const left = Math.floor((w - s.length) / 2)
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left)
  }
  const cell = (s: string, w: number) => (NUMBER.test(s.trim()) ? s.padStart(w) : s.padEnd(w))
  const row = (cells: string[], pad: (s: string, w: number) => string) =>
    '| ' + widths.map((w, i) => pad(cells[i] ?? '', w)).join(' | ') + ' |\n'
  let out = line + row(headers, centre) + line
  for (const r of rows) out += row(r, cell)
  return out + line
}
