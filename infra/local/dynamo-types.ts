/**
 * dynalite's type checks of a request (`checkTypes` in validations/index.js, dynalite 4.0.0):
 * the same answer, the same errors, without the garbage dynalite's makes on every call.
 *
 * Why: for every request the store answers directly (`dynamo-direct.ts`), dynalite's
 * `checkTypes` creates its two inner functions anew, matches each field's type name against a
 * regular expression, wraps string children in an object, and for each attribute value of the
 * request (each key, each expression value) builds the attribute value's type description
 * afresh (eight objects and a string); an allocation profile of the app under the 50-client
 * inbox benchmark had dynalite's type checks at ~35 KB of garbage per inbox request. Here the
 * type names are parsed once per type, the attribute value's description is one object per
 * subtype, and the inner functions are module functions.
 *
 * The checks themselves are dynalite's, step by step: unknown and null fields of a structure
 * are deleted from the request as dynalite deletes them, the checked copy is built in the same
 * order, each error is the same `SerializationException` with the same message. The listener
 * path still runs dynalite's own; `test/integration/store/direct-answers.test.ts` compares both
 * paths' answers, `test/unit/local/dynamo-types.test.ts` both functions.
 */

/** A field's type as dynalite's validation rules give it: a type name, or an object with one and its children. */
type TypeSpec = string | { type?: string; children?: unknown; [rule: string]: unknown }

/** A structure's fields and their types (an operation's `types`, a struct's `children`). */
type Fields = Record<string, TypeSpec>

/** A type as `checkType` reads it: its name without the subtype, the subtype, and its children. */
interface ParsedType {
  name: string
  subtype: string | undefined
  /** A `children` that was a type name, as dynalite wraps it (`{ type: children }`); else as given. */
  children: unknown
}

/** Whether a value is an object whose fields can be read and deleted by name (a struct's fields, a rule, a request). */
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null

/** The error dynalite's `typeError` makes: a 400 with a `SerializationException`. */
class TypeCheckError extends Error {
  readonly statusCode = 400
  readonly body: { __type: string; Message: string }
  constructor(message: string) {
    super(message)
    this.body = { __type: 'com.amazon.coral.service#SerializationException', Message: message }
  }
}

/** dynalite's `typeError`: an `Error` with its status and body (the same fields, the same message). */
function typeError(message: string): Error {
  return new TypeCheckError(message)
}

/** An attribute value's fields and their types (dynalite's `AttrStruct`). */
const ATTRIBUTE_VALUE_CHILDREN = {
  S: 'String',
  B: 'Blob',
  N: 'String',
  BOOL: 'Boolean',
  NULL: 'Boolean',
  BS: { type: 'List', children: 'Blob' },
  NS: { type: 'List', children: 'String' },
  SS: { type: 'List', children: 'String' },
  L: { type: 'List', children: 'AttrStruct<ValueStruct>' },
  M: { type: 'Map<AttributeValue>', children: 'AttrStruct<ValueStruct>' },
}

/** Each subtype's attribute value description (dynalite builds it for every attribute value checked). */
const attributeValueTypes = new Map<string, TypeSpec>()

/** The parsed types: by the rule object, and by type name for rules that are names. */
const parsedObjects = new WeakMap<object, ParsedType>()
const parsedNames = new Map<string, ParsedType>()

/** dynalite's reading of a type (`children` wrapped, `type.type` taken, `Name<Subtype>` split), once per type. */
function parse(spec: TypeSpec): ParsedType {
  const kept = typeof spec === 'string' ? parsedNames.get(spec) : parsedObjects.get(spec)
  if (kept) return kept
  const given = typeof spec === 'string' ? undefined : spec.children
  const children = typeof given === 'string' ? { type: given } : given
  let name = typeof spec === 'string' ? spec : spec.type ? spec.type : spec
  if (typeof name !== 'string') throw new Error(`Unknown type: ${String(name)}`)
  let subtype: string | undefined
  const m = name.match(/(.+?)<(.+)>$/)
  if (m != null) {
    name = m[1]
    subtype = m[2]
  }
  const parsed: ParsedType = { name, subtype, children }
  if (typeof spec === 'string') parsedNames.set(spec, parsed)
  else parsedObjects.set(spec, parsed)
  return parsed
}

/** A structure's checked copy, as dynalite's `checkTypes`: unknown and null fields deleted from `data`. */
export function checkTypes(data: unknown, types: Fields): Record<string, unknown> {
  if (isFields(data)) for (const key in data) if (!types[key] || data[key] == null) delete data[key]
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(types)) {
    const val = checkType(field(data, key), types[key])
    if (val != null) out[key] = val
  }
  return out
}

/** `data[key]` as dynalite reads it: `undefined` of a number or a string, the same TypeError of `null`. */
function field(data: unknown, key: string): unknown {
  if (data === null || data === undefined)
    throw new TypeError(`Cannot read properties of ${data} (reading '${key}')`)
  return Reflect.get(Object(data), key)
}

/** dynalite's refusal of a boolean, number or string where a list, map or structure belongs. */
function refuseScalar(val: unknown, message: string): void {
  if (typeof val === 'boolean' || typeof val === 'number' || typeof val === 'string') throw typeError(message)
}

/** dynalite's `checkType`: a value's checked copy by its type, or its `SerializationException`. */
function checkType(val: unknown, spec: TypeSpec): unknown {
  if (val == null) return null
  const { name: type, subtype, children } = parse(spec)

  if (type === 'AttrStruct') {
    const key = String(subtype)
    let attributeValue = attributeValueTypes.get(key)
    if (!attributeValue) {
      attributeValue = { type: `${subtype}<AttributeValue>`, children: ATTRIBUTE_VALUE_CHILDREN }
      attributeValueTypes.set(key, attributeValue)
    }
    return checkType(val, attributeValue)
  }

  switch (type) {
    case 'Boolean':
      switch (typeof val) {
        case 'number':
          throw typeError(
            `${val % 1 === 0 ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to ${type}`,
          )
        case 'string': {
          // 'true'/'false'/'1'/'0'/'no'/'yes' seem to convert fine
          const upper = val.toUpperCase()
          if (upper === 'TRUE' || upper === '1' || upper === 'YES') return true
          if (upper === 'FALSE' || upper === '0' || upper === 'NO') return false
          throw typeError('Unexpected token received from parser')
        }
        case 'object':
          if (Array.isArray(val)) throw typeError(`Unrecognized collection type class java.lang.${type}`)
          throw typeError('Start of structure or map found where not expected')
      }
      return val
    case 'Short':
    case 'Integer':
    case 'Long':
    case 'Double':
      switch (typeof val) {
        case 'boolean':
          throw typeError(`${val ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${type}`)
        case 'number':
          return type !== 'Double' ? Math.floor(val) : val
        case 'string':
          throw typeError(`STRING_VALUE cannot be converted to ${type}`)
        case 'object':
          if (Array.isArray(val)) throw typeError(`Unrecognized collection type class java.lang.${type}`)
          throw typeError('Start of structure or map found where not expected')
      }
      return val
    case 'String':
      switch (typeof val) {
        case 'boolean':
          throw typeError(`${val ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${type}`)
        case 'number':
          throw typeError(
            `${val % 1 === 0 ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to ${type}`,
          )
        case 'object':
          if (Array.isArray(val)) throw typeError(`Unrecognized collection type class java.lang.${type}`)
          throw typeError('Start of structure or map found where not expected')
      }
      return val
    case 'Blob':
      switch (typeof val) {
        case 'boolean':
        case 'number':
          throw typeError('only base-64-encoded strings are convertible to bytes')
        case 'object':
          if (Array.isArray(val)) throw typeError('Unrecognized collection type class java.nio.ByteBuffer')
          throw typeError('Start of structure or map found where not expected')
      }
      return checkBlob(val)
    case 'List':
    case 'ParameterizedList':
      refuseScalar(val, type === 'List' ? 'Unexpected field type' : PARAMETERIZED)
      if (typeof val === 'object' && !Array.isArray(val))
        throw typeError('Start of structure or map found where not expected')
      return listOf(val, children)
    case 'Map':
    case 'ParameterizedMap': {
      refuseScalar(val, type === 'Map' ? 'Unexpected field type' : PARAMETERIZED)
      if (Array.isArray(val)) {
        const sub = type === 'Map' ? String(subtype) : 'AttributeValue'
        throw typeError(
          `Unrecognized collection type java.util.Map<java.lang.String, ${sub.includes('.') ? sub : `com.amazonaws.dynamodb.v20120810.${sub}`}>`,
        )
      }
      return mapOf(val, children)
    }
    case 'ValueStruct':
    case 'FieldStruct':
      refuseScalar(val, type === 'ValueStruct' ? 'Unexpected value type in payload' : 'Unexpected field type')
      if (Array.isArray(val))
        throw typeError(`Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${subtype}`)
      return checkTypes(val, fieldsOf(children))
    default:
      throw new Error(`Unknown type: ${type}`)
  }
}

/** dynalite's message for a parameterized list or map given a scalar. */
const PARAMETERIZED =
  "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')"

/** dynalite's check of a blob (a string by now; anything else fails as dynalite's fails on it). */
function checkBlob(val: unknown): unknown {
  const text = String(val)
  if (text.length % 4)
    throw typeError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`)
  if (Buffer.from(text, 'base64').toString('base64') !== text)
    throw typeError('Invalid last non-pad Base64 character dectected')
  return val
}

/** A list's checked copy (`val.map(checkType)`, holes kept as `map` keeps them). */
function listOf(val: unknown, children: unknown): unknown[] {
  const list: unknown[] = Array.isArray(val) ? val : []
  const spec = specOf(children)
  return list.map((child) => checkType(child, spec))
}

/** A map's checked copy, its keys in their order (dynalite's `Object.keys(val).reduce`). */
function mapOf(val: unknown, children: unknown): Record<string, unknown> {
  const map: Record<string, unknown> = {}
  if (typeof val !== 'object' || val === null) return map
  const spec = specOf(children)
  for (const key of Object.keys(val)) map[key] = checkType(Reflect.get(val, key), spec)
  return map
}

/** A child type as the rules give it (a name or a rule object). */
function specOf(children: unknown): TypeSpec {
  if (typeof children === 'string' || isFields(children)) return children
  throw new Error(`Unknown type: ${String(children)}`)
}

/** A struct's fields as the rules give them. */
function fieldsOf(children: unknown): Fields {
  if (isFields(children)) return children
  throw new Error(`Unknown type: ${String(children)}`)
}
