#!/usr/bin/env node
// kubectl runs executables named kubectl-<name> found on PATH as plugins: `kubectl xctl get wep` runs this file,
// and xctl's help, usage lines, examples and messages then call it `kubectl xctl`.
import {loadEntry} from './load-entry.js'

const entry = await loadEntry()
process.exitCode = await entry.runCli(process.argv.slice(2), import.meta.url, {bin: 'kubectl xctl'})
