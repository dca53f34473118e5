/**
 * Executes a parsed template the way Go's text/template does (golang/go src/text/template/exec.go), on the data
 * kubectl gives it: fields of maps, `<no value>` for missing keys (missingkey=default) or an error
 * (missingkey=error), interface{} elements, pipelines, variables, if/with/range/break/continue and templates.
 */
import {sortedKeys} from '../core/go-strings.js'
import {callBuiltin, isTrue} from './funcs.js'
import type {Arg, Command, Control, Node, Pipe, TemplateCall, Tree} from './parse.js'
import {argString} from './parse.js'
import {Boxed, GoNum, isMap, MISSING, NO_FINAL, sprintValue, typeName, unbox} from './values.js'

/** An execution error as text/template words it: `template: output:1:2: executing "output" at <.a>: ...`. */
export class TemplateExecError extends Error {}

const BREAK = Symbol('break')
const CONTINUE = Symbol('continue')

type Located = Arg | Command | Node

export class Executor {
  private out = ''
  private vars: Array<[string, unknown]> = []
  private node?: Located
  private depth = 0

  constructor(
    private readonly tree: Tree,
    private readonly text: string,
    private readonly missingKeyError: boolean,
  ) {}

  /** Runs the template; on failure the output so far is in `partial` of the thrown error. */
  execute(data: unknown): string {
    this.out = ''
    this.vars = [['$', data]]
    try {
      this.walkList(data, this.tree.root)
    } catch (error) {
      if (error instanceof TemplateExecError) Object.assign(error, {partial: this.out})
      throw error
    }
    return this.out
  }

  fail(message: string): never {
    if (!this.node) throw new TemplateExecError(`template: output: ${message}`)
    const before = this.text.slice(0, this.node.pos)
    const newline = before.lastIndexOf('\n')
    const line = 1 + (before.match(/\n/g)?.length ?? 0)
    const col = Buffer.byteLength(newline === -1 ? before : before.slice(newline + 1))
    const context = nodeString(this.node)
    throw new TemplateExecError(`template: output:${line}:${col}: executing "output" at <${context}>: ${message}`)
  }

  at(node: Located): void {
    this.node = node
  }

  private walkList(dot: unknown, list: Node[]): void {
    for (const node of list) this.walk(dot, node)
  }

  private walk(dot: unknown, node: Node): void {
    this.at(node)
    switch (node.t) {
      case 'text':
        this.out += node.text
        return
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe)
        if (node.pipe.decl.length === 0) this.out += printable(value)
        return
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node)
      case 'range':
        return this.walkRange(dot, node)
      case 'break':
        throw BREAK
      case 'continue':
        throw CONTINUE
      case 'template':
        return this.walkTemplate(dot, node)
    }
  }

  private walkIfOrWith(dot: unknown, node: Control): void {
    const mark = this.vars.length
    const value = this.evalPipeline(dot, node.pipe)
    if (isTrue(unbox(value))) this.walkList(node.t === 'with' ? value : dot, node.list)
    else if (node.elseList) this.walkList(dot, node.elseList)
    this.vars.length = mark
  }

  private walkRange(dot: unknown, node: Control): void {
    this.at(node)
    const mark = this.vars.length
    const value = unbox(this.evalPipeline(dot, node.pipe))
    const bodyMark = this.vars.length
    let ran = false
    const once = (index: unknown, elem: unknown): boolean => {
      ran = true
      const d = node.pipe.decl
      if (d.length > 0) this.setVar(d.length > 1 || !node.pipe.isAssign ? d[d.length - 1] : d[0], elem)
      if (d.length > 1) this.setVar(d[0], index)
      try {
        this.walkList(elem, node.list)
      } catch (signal) {
        if (signal === BREAK) return false
        if (signal !== CONTINUE) throw signal
      } finally {
        this.vars.length = bodyMark
      }
      return true
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (!once(new GoNum(i, 'int'), new Boxed(value[i]))) break
    } else if (isMap(value)) {
      for (const k of sortedKeys(value)) if (!once(k, new Boxed(value[k]))) break
    } else if (value !== MISSING) {
      this.fail(`range can't iterate over ${sprintValue(value)}`)
    }
    if (!ran && node.elseList) this.walkList(dot, node.elseList)
    this.vars.length = mark
  }

  private walkTemplate(dot: unknown, node: TemplateCall): void {
    const body = this.tree.defines.get(node.name)
    if (!body) this.fail(`template ${JSON.stringify(node.name)} not defined`)
    const value = node.pipe ? this.evalPipeline(dot, node.pipe) : MISSING
    if (++this.depth > 100000) this.fail('exceeded maximum template depth (100000)')
    const saved = this.vars
    this.vars = [['$', value]]
    this.walkList(value, body)
    this.vars = saved
    this.depth--
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i][0] === name) {
        this.vars[i][1] = value
        return
      }
    this.vars.push([name, value])
  }

  evalPipeline(dot: unknown, pipe: Pipe): unknown {
    this.at(pipe)
    let value: unknown = NO_FINAL
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value)
      // "If the object has type interface{}, dig down one level to the thing inside."
      if (value instanceof Boxed) value = value.v === null || value.v === undefined ? MISSING : value.v
    }
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value)
      else this.vars.push([name, value])
    }
    return value
  }

  private evalCommand(dot: unknown, cmd: Command, final: unknown): unknown {
    const first = cmd.args[0]
    switch (first.t) {
      case 'field':
        this.at(first)
        return this.evalFieldChain(dot, dot, first.idents, cmd.args, final)
      case 'chain': {
        this.at(first)
        const base = this.evalArgValue(dot, first.node)
        return this.evalFieldChain(dot, base, first.fields, cmd.args, final)
      }
      case 'identifier':
        this.at(first)
        return callBuiltin(this, first.name, dot, cmd, cmd.args.slice(1), final)
      case 'pipe':
        this.notAFunction(cmd.args, final)
        return this.evalPipeline(dot, first)
      case 'variable': {
        this.at(first)
        const value = this.variable(first.idents[0])
        if (first.idents.length === 1) {
          this.notAFunction(cmd.args, final)
          return value
        }
        return this.evalFieldChain(dot, value, first.idents.slice(1), cmd.args, final)
      }
    }
    this.at(first)
    this.notAFunction(cmd.args, final)
    return this.literal(dot, first)
  }

  literal(dot: unknown, node: Arg): unknown {
    switch (node.t) {
      case 'bool':
        return node.value
      case 'dot':
        return dot
      case 'nil':
        this.fail('nil is not a command')
      // falls through (fail never returns)
      case 'number':
        return new GoNum(node.value, node.isFloat ? 'float64' : 'int')
      case 'string':
        return node.value
    }
    this.fail(`can't evaluate command ${JSON.stringify(argString(node))}`)
  }

  private notAFunction(args: Arg[], final: unknown): void {
    if (args.length > 1 || final !== NO_FINAL) this.fail(`can't give argument to non-function ${argString(args[0])}`)
  }

  variable(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i][0] === name) return this.vars[i][1]
    this.fail(`undefined variable: ${name}`)
  }

  private evalFieldChain(dot: unknown, receiver: unknown, idents: string[], args: Arg[], final: unknown): unknown {
    for (let i = 0; i < idents.length - 1; i++) receiver = this.evalField(idents[i], receiver, false)
    const hasArgs = args.length > 1 || final !== NO_FINAL
    return this.evalField(idents[idents.length - 1], receiver, hasArgs)
  }

  private evalField(name: string, receiver: unknown, hasArgs: boolean): unknown {
    if (receiver === MISSING) {
      if (this.missingKeyError) this.fail(`nil data; no entry for key ${JSON.stringify(name)}`)
      return MISSING
    }
    const inner = receiver instanceof Boxed ? receiver.v : receiver
    if (inner === null || inner === undefined) this.fail(`nil pointer evaluating ${typeName(receiver)}.${name}`)
    if (isMap(inner)) {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`)
      if (Object.hasOwn(inner, name) && inner[name] !== undefined) return new Boxed(inner[name])
      if (this.missingKeyError) this.fail(`map has no entry for key ${JSON.stringify(name)}`)
      return MISSING
    }
    this.fail(`can't evaluate field ${name} in type ${typeName(receiver)}`)
  }

  /** An argument's value as a builtin taking reflect.Value sees it (interface{} elements stay boxed). */
  evalArgValue(dot: unknown, node: Arg): unknown {
    this.at(node)
    switch (node.t) {
      case 'dot':
        return dot
      case 'nil':
        this.fail('cannot assign nil to reflect.Value')
      // falls through (fail never returns)
      case 'field':
        return this.evalFieldChain(dot, dot, node.idents, [node], NO_FINAL)
      case 'variable': {
        const value = this.variable(node.idents[0])
        return node.idents.length === 1
          ? value
          : this.evalFieldChain(dot, value, node.idents.slice(1), [node], NO_FINAL)
      }
      case 'pipe':
        return this.evalPipeline(dot, node)
      case 'identifier':
        return callBuiltin(this, node.name, dot, node, [], NO_FINAL)
      case 'chain':
        return this.evalFieldChain(dot, this.evalArgValue(dot, node.node), node.fields, [node], NO_FINAL)
    }
    return this.literal(dot, node)
  }
}

/** What `{{...}}` prints (exec.go printValue): an invalid value is `<no value>`, the rest as fmt's %v. */
function printable(v: unknown): string {
  return v === MISSING ? '<no value>' : sprintValue(v)
}

function nodeString(node: Located): string {
  switch (node.t) {
    case 'text':
      return node.text
    case 'action':
      return `{{${argString(node.pipe)}}}`
    case 'if':
    case 'with':
    case 'range':
      return `{{${node.t} ${argString(node.pipe)}}}`
    case 'template':
      return `{{template ${JSON.stringify(node.name)}${node.pipe ? ` ${argString(node.pipe)}` : ''}}}`
    case 'break':
    case 'continue':
      return `{{${node.t}}}`
  }
  return argString(node)
}
