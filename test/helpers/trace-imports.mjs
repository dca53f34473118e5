// Preloaded with --import: records every module URL the process loads into $XCTL_TRACE_FILE.
import {register} from 'node:module'

register('./trace-hooks.mjs', import.meta.url)
