import type {Check} from '../context.js'
import {scanJson, type JsonPosition} from '../../core/json-scan.js'

/** Reports inside the config JSON, at the position of a JSON pointer within it. */
export class ConfigView {
  private positions?: Map<string, JsonPosition>

  constructor(
    readonly check: Check,
    readonly pointer: string,
    readonly text: string,
  ) {}

  /** Offset (in the config text) of the value at `jsonPointer`, or of its nearest present ancestor. */
  offset(jsonPointer: string, atKey = false): number {
    this.positions ??= scanJson(this.text, {positions: true}).positions
    let p = jsonPointer
    for (;;) {
      const pos = this.positions!.get(p)
      if (pos) return atKey && pos.key !== undefined ? pos.key : pos.value
      if (p === '') return 0
      p = p.slice(0, p.lastIndexOf('/'))
    }
  }

  report(rule: Parameters<Check['report']>[0], jsonPointer: string, message: string, atKey = false): void {
    this.check.report(rule, this.pointer, message, {offset: this.offset(jsonPointer, atKey)})
  }
}
