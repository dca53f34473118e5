/** Every -o format of the printing commands (get, eval), in the one place help text and completion read it from. */
export const OUTPUT_FORMATS = [
  'ps',
  'wide',
  'yaml',
  'json',
  'name',
  'custom-columns=SPEC',
  'custom-columns-file=FILE',
  'jsonpath=TEMPLATE',
  'jsonpath-file=FILE',
  'go-template=TEMPLATE',
  'go-template-file=FILE',
]

/** The formats as help text lists them: `ps (default), wide, ..., go-template-file=FILE`. */
export const OUTPUT_FORMAT_SUMMARY = `${OUTPUT_FORMATS[0]} (default), ${OUTPUT_FORMATS.slice(1).join(', ')}`
