/**
 * A structural check of SARIF 2.1.0 logs, written from the OASIS SARIF 2.1.0 JSON schema (sarif-schema-2.1.0.json):
 * the definitions xctl's SARIF uses (sarifLog, run, tool, toolComponent, reportingDescriptor,
 * reportingConfiguration, multiformatMessageString, message, result, location, physicalLocation,
 * artifactLocation, region, invocation, notification, propertyBag), each with its full list of allowed
 * properties (the schema forbids others), its required properties, enums and minimums. Definitions xctl never
 * emits are checked only for their JSON type. Not a general JSON-Schema validator: the small draft-07 subset
 * these definitions use.
 */
type Schema = {
  $ref?: string
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  properties?: Record<string, Schema>
  additionalProperties?: boolean | Schema
  required?: string[]
  anyOf?: Array<{required: string[]}>
  enum?: unknown[]
  minimum?: number
  maximum?: number
  items?: Schema
  minItems?: number
  uniqueItems?: boolean
  pattern?: string
  format?: 'uri' | 'uri-reference' | 'date-time'
}

const str: Schema = {type: 'string'}
const int = (minimum?: number): Schema => ({type: 'integer', ...(minimum !== undefined ? {minimum} : {})})
const ref = (name: string): Schema => ({$ref: name})
const arr = (items: Schema, extra: Partial<Schema> = {}): Schema => ({type: 'array', items, ...extra})
const obj: Schema = {type: 'object'}
const level: Schema = {enum: ['none', 'note', 'warning', 'error']}
const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$'
const bag = ref('propertyBag')

export const SARIF_DEFINITIONS: Record<string, Schema> = {
  sarifLog: {
    type: 'object',
    additionalProperties: false,
    required: ['version', 'runs'],
    properties: {
      $schema: {type: 'string', format: 'uri'},
      version: {enum: ['2.1.0']},
      runs: arr(ref('run')),
      inlineExternalProperties: arr(obj, {uniqueItems: true}),
      properties: bag,
    },
  },
  run: {
    type: 'object',
    additionalProperties: false,
    required: ['tool'],
    properties: {
      tool: ref('tool'),
      invocations: arr(ref('invocation')),
      conversion: obj,
      language: str,
      versionControlProvenance: arr(obj, {uniqueItems: true}),
      originalUriBaseIds: {type: 'object', additionalProperties: ref('artifactLocation')},
      artifacts: arr(obj, {uniqueItems: true}),
      logicalLocations: arr(obj, {uniqueItems: true}),
      graphs: arr(obj, {uniqueItems: true}),
      results: arr(ref('result')),
      automationDetails: obj,
      runAggregates: arr(obj, {uniqueItems: true}),
      baselineGuid: {type: 'string', pattern: GUID},
      redactionTokens: arr(str, {uniqueItems: true}),
      defaultEncoding: str,
      defaultSourceLanguage: str,
      newlineSequences: arr(str, {minItems: 1, uniqueItems: true}),
      columnKind: {enum: ['utf16CodeUnits', 'unicodeCodePoints']},
      externalPropertyFileReferences: obj,
      threadFlowLocations: arr(obj, {uniqueItems: true}),
      taxonomies: arr(ref('toolComponent'), {uniqueItems: true}),
      addresses: arr(obj),
      translations: arr(ref('toolComponent'), {uniqueItems: true}),
      policies: arr(ref('toolComponent'), {uniqueItems: true}),
      webRequests: arr(obj, {uniqueItems: true}),
      webResponses: arr(obj, {uniqueItems: true}),
      specialLocations: obj,
      properties: bag,
    },
  },
  tool: {
    type: 'object',
    additionalProperties: false,
    required: ['driver'],
    properties: {
      driver: ref('toolComponent'),
      extensions: arr(ref('toolComponent'), {uniqueItems: true}),
      properties: bag,
    },
  },
  toolComponent: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      guid: {type: 'string', pattern: GUID},
      name: str,
      organization: str,
      product: str,
      productSuite: str,
      shortDescription: ref('multiformatMessageString'),
      fullDescription: ref('multiformatMessageString'),
      fullName: str,
      version: str,
      semanticVersion: str,
      dottedQuadFileVersion: {type: 'string', pattern: '[0-9]+(\\.[0-9]+){3}'},
      releaseDateUtc: str,
      downloadUri: {type: 'string', format: 'uri'},
      informationUri: {type: 'string', format: 'uri'},
      globalMessageStrings: {type: 'object', additionalProperties: ref('multiformatMessageString')},
      notifications: arr(ref('reportingDescriptor'), {uniqueItems: true}),
      rules: arr(ref('reportingDescriptor'), {uniqueItems: true}),
      taxa: arr(ref('reportingDescriptor'), {uniqueItems: true}),
      locations: arr(ref('artifactLocation')),
      language: str,
      contents: arr({enum: ['localizedData', 'nonLocalizedData']}, {uniqueItems: true}),
      isComprehensive: {type: 'boolean'},
      localizedDataSemanticVersion: str,
      minimumRequiredLocalizedDataSemanticVersion: str,
      associatedComponent: obj,
      translationMetadata: obj,
      supportedTaxonomies: arr(obj, {uniqueItems: true}),
      properties: bag,
    },
  },
  reportingDescriptor: {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: {
      id: str,
      deprecatedIds: arr(str, {uniqueItems: true}),
      guid: {type: 'string', pattern: GUID},
      deprecatedGuids: arr({type: 'string', pattern: GUID}, {uniqueItems: true}),
      name: str,
      deprecatedNames: arr(str, {uniqueItems: true}),
      shortDescription: ref('multiformatMessageString'),
      fullDescription: ref('multiformatMessageString'),
      messageStrings: {type: 'object', additionalProperties: ref('multiformatMessageString')},
      defaultConfiguration: ref('reportingConfiguration'),
      helpUri: {type: 'string', format: 'uri'},
      help: ref('multiformatMessageString'),
      relationships: arr(obj, {uniqueItems: true}),
      properties: bag,
    },
  },
  reportingConfiguration: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: {type: 'boolean'},
      level,
      rank: {type: 'number', minimum: -1, maximum: 100},
      parameters: bag,
      properties: bag,
    },
  },
  multiformatMessageString: {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: {text: str, markdown: str, properties: bag},
  },
  message: {
    type: 'object',
    additionalProperties: false,
    anyOf: [{required: ['text']}, {required: ['id']}],
    properties: {text: str, markdown: str, id: str, arguments: arr(str), properties: bag},
  },
  result: {
    type: 'object',
    additionalProperties: false,
    required: ['message'],
    properties: {
      ruleId: str,
      ruleIndex: int(-1),
      rule: obj,
      kind: {enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational']},
      level,
      message: ref('message'),
      analysisTarget: ref('artifactLocation'),
      locations: arr(ref('location')),
      guid: {type: 'string', pattern: GUID},
      correlationGuid: {type: 'string', pattern: GUID},
      occurrenceCount: int(1),
      partialFingerprints: {type: 'object', additionalProperties: str},
      fingerprints: {type: 'object', additionalProperties: str},
      stacks: arr(obj, {uniqueItems: true}),
      codeFlows: arr(obj),
      graphs: arr(obj, {uniqueItems: true}),
      graphTraversals: arr(obj, {uniqueItems: true}),
      relatedLocations: arr(ref('location'), {uniqueItems: true}),
      suppressions: arr(obj, {uniqueItems: true}),
      baselineState: {enum: ['new', 'unchanged', 'updated', 'absent']},
      rank: {type: 'number', minimum: -1, maximum: 100},
      attachments: arr(obj, {uniqueItems: true}),
      hostedViewerUri: {type: 'string', format: 'uri'},
      workItemUris: arr({type: 'string', format: 'uri'}, {uniqueItems: true}),
      provenance: obj,
      fixes: arr(obj, {uniqueItems: true}),
      taxa: arr(obj, {uniqueItems: true}),
      webRequest: obj,
      webResponse: obj,
      properties: bag,
    },
  },
  location: {
    type: 'object',
    additionalProperties: false,
    properties: {
      id: int(-1),
      physicalLocation: ref('physicalLocation'),
      logicalLocations: arr(obj, {uniqueItems: true}),
      message: ref('message'),
      annotations: arr(ref('region'), {uniqueItems: true}),
      relationships: arr(obj, {uniqueItems: true}),
      properties: bag,
    },
  },
  physicalLocation: {
    type: 'object',
    additionalProperties: false,
    anyOf: [{required: ['address']}, {required: ['artifactLocation']}],
    properties: {
      address: obj,
      artifactLocation: ref('artifactLocation'),
      region: ref('region'),
      contextRegion: ref('region'),
      properties: bag,
    },
  },
  artifactLocation: {
    type: 'object',
    additionalProperties: false,
    properties: {
      uri: {type: 'string', format: 'uri-reference'},
      uriBaseId: str,
      index: int(-1),
      description: ref('message'),
      properties: bag,
    },
  },
  region: {
    type: 'object',
    additionalProperties: false,
    properties: {
      startLine: int(1),
      startColumn: int(1),
      endLine: int(1),
      endColumn: int(1),
      charOffset: int(-1),
      charLength: int(0),
      byteOffset: int(-1),
      byteLength: int(0),
      snippet: obj,
      message: ref('message'),
      sourceLanguage: str,
      properties: bag,
    },
  },
  invocation: {
    type: 'object',
    additionalProperties: false,
    required: ['executionSuccessful'],
    properties: {
      commandLine: str,
      arguments: arr(str),
      responseFiles: arr(ref('artifactLocation'), {uniqueItems: true}),
      startTimeUtc: {type: 'string', format: 'date-time'},
      endTimeUtc: {type: 'string', format: 'date-time'},
      exitCode: {type: 'integer'},
      ruleConfigurationOverrides: arr(obj, {uniqueItems: true}),
      notificationConfigurationOverrides: arr(obj, {uniqueItems: true}),
      toolExecutionNotifications: arr(ref('notification')),
      toolConfigurationNotifications: arr(ref('notification')),
      exitCodeDescription: str,
      exitSignalName: str,
      exitSignalNumber: {type: 'integer'},
      processStartFailureMessage: str,
      executionSuccessful: {type: 'boolean'},
      machine: str,
      account: str,
      processId: {type: 'integer'},
      executableLocation: ref('artifactLocation'),
      workingDirectory: ref('artifactLocation'),
      environmentVariables: {type: 'object', additionalProperties: str},
      stdin: ref('artifactLocation'),
      stdout: ref('artifactLocation'),
      stderr: ref('artifactLocation'),
      stdoutStderr: ref('artifactLocation'),
      properties: bag,
    },
  },
  notification: {
    type: 'object',
    additionalProperties: false,
    required: ['message'],
    properties: {
      locations: arr(ref('location'), {uniqueItems: true}),
      message: ref('message'),
      level,
      threadId: {type: 'integer'},
      timeUtc: {type: 'string', format: 'date-time'},
      exception: obj,
      descriptor: obj,
      associatedRule: obj,
      properties: bag,
    },
  },
  propertyBag: {type: 'object', additionalProperties: true, properties: {tags: arr(str, {uniqueItems: true})}},
}

/** Problems with `value` against SARIF 2.1.0, as `path: problem` lines (empty when valid). */
export function validateSarif(value: unknown): string[] {
  const errors: string[] = []
  check(value, ref('sarifLog'), '$', errors)
  return errors
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (v === null) return 'null'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function check(v: unknown, schema: Schema, path: string, errors: string[]): void {
  if (schema.$ref) return check(v, SARIF_DEFINITIONS[schema.$ref], path, errors)
  const t = typeOf(v)
  if (schema.type && !(schema.type === t || (schema.type === 'number' && t === 'integer'))) {
    errors.push(`${path}: expected ${schema.type}, got ${t}`)
    return
  }
  if (schema.enum && !schema.enum.includes(v))
    errors.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(schema.enum)}`)
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) errors.push(`${path}: ${v} < ${schema.minimum}`)
    if (schema.maximum !== undefined && v > schema.maximum) errors.push(`${path}: ${v} > ${schema.maximum}`)
  }
  if (typeof v === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(v)) errors.push(`${path}: does not match ${schema.pattern}`)
    if (schema.format === 'uri' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(v)) errors.push(`${path}: not an absolute URI`)
    if ((schema.format === 'uri' || schema.format === 'uri-reference') && /[\s<>"{}|\\^`]/.test(v))
      errors.push(`${path}: characters not allowed in a URI`)
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < schema.minItems)
      errors.push(`${path}: fewer than ${schema.minItems} items`)
    if (schema.uniqueItems && new Set(v.map((x) => JSON.stringify(x))).size !== v.length)
      errors.push(`${path}: items are not unique`)
    if (schema.items) v.forEach((x, i) => check(x, schema.items!, `${path}[${i}]`, errors))
  }
  if (t === 'object') {
    const o = v as Record<string, unknown>
    for (const r of schema.required ?? []) if (!(r in o)) errors.push(`${path}: missing required property ${r}`)
    if (schema.anyOf && !schema.anyOf.some((alt) => alt.required.every((r) => r in o)))
      errors.push(`${path}: needs one of ${schema.anyOf.map((a) => a.required.join('+')).join(' | ')}`)
    for (const [k, x] of Object.entries(o)) {
      const p = schema.properties?.[k]
      if (p) check(x, p, `${path}.${k}`, errors)
      else if (schema.additionalProperties === false) errors.push(`${path}: property ${k} is not allowed`)
      else if (typeof schema.additionalProperties === 'object')
        check(x, schema.additionalProperties, `${path}.${k}`, errors)
    }
  }
}
