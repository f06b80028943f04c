import { type Edge, isObject, type QueryLanguage, quote, type Rules, SCHEMA } from './validate-common.js'
import { checkAssignNames, checkExpressions, checkPath, checkPayloadTemplate } from './validate-data.js'

/** Definition validation, error handling: Retry and Catch lists and their `ErrorEquals`. */

export function checkRetry(r: Rules, list: unknown, at: string): void {
  if (!Array.isArray(list)) {
    r.add(SCHEMA, '"Retry" must be an array of retriers', at)
    return
  }
  list.forEach((retrier, i) => {
    const rAt = `${at}/${i}`
    if (!isObject(retrier)) {
      r.add(SCHEMA, 'A retrier must be a JSON object', rAt)
      return
    }
    const allowed = [
      'ErrorEquals',
      'IntervalSeconds',
      'MaxAttempts',
      'BackoffRate',
      'MaxDelaySeconds',
      'JitterStrategy',
      'Comment',
    ]
    for (const key of Object.keys(retrier)) {
      if (!allowed.includes(key))
        r.add(SCHEMA, `Field ${quote(key)} is not supported in a retrier`, `${rAt}/${key}`)
    }
    errorEquals(r, retrier.ErrorEquals, rAt, i === list.length - 1, 'retrier', 'Retry')
    const rules: [string, (v: unknown) => boolean, string][] = [
      ['IntervalSeconds', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer'],
      ['MaxAttempts', (v) => Number.isInteger(v) && (v as number) >= 0, 'a non-negative integer'],
      ['BackoffRate', (v) => typeof v === 'number' && v >= 1, 'a number of at least 1.0'],
      ['MaxDelaySeconds', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer'],
      ['JitterStrategy', (v) => v === 'FULL' || v === 'NONE', '"FULL" or "NONE"'],
    ]
    for (const [key, valid, expected] of rules) {
      if (retrier[key] !== undefined && !valid(retrier[key])) {
        r.add(SCHEMA, `${quote(key)} must be ${expected}`, `${rAt}/${key}`)
      }
    }
  })
}

export function checkCatch(
  r: Rules,
  list: unknown,
  at: string,
  language: QueryLanguage,
  edges: Edge[],
): void {
  if (!Array.isArray(list)) {
    r.add(SCHEMA, '"Catch" must be an array of catchers', at)
    return
  }
  list.forEach((catcher, i) => {
    const cAt = `${at}/${i}`
    if (!isObject(catcher)) {
      r.add(SCHEMA, 'A catcher must be a JSON object', cAt)
      return
    }
    for (const key of Object.keys(catcher)) {
      if (['ErrorEquals', 'Next', 'Assign', 'Comment'].includes(key)) continue
      if (key === 'ResultPath' && language === 'JSONPath') continue
      if (key === 'Output' && language === 'JSONata') continue
      const message =
        key === 'ResultPath'
          ? 'The field "ResultPath" is not supported in a JSONata catcher (use Output)'
          : key === 'Output'
            ? 'The field "Output" is only supported in JSONata catchers (use ResultPath)'
            : `Field ${quote(key)} is not supported in a catcher`
      r.add(SCHEMA, message, `${cAt}/${key}`)
    }
    errorEquals(r, catcher.ErrorEquals, cAt, i === list.length - 1, 'catcher', 'Catch')
    if (typeof catcher.Next === 'string')
      edges.push({ target: catcher.Next, field: 'Next', at: `${cAt}/Next` })
    else if (catcher.Next === undefined) r.add(SCHEMA, 'These fields are required: [Next]', cAt)
    else r.add(SCHEMA, '"Next" must be the name of a state (a string)', `${cAt}/Next`)
    if (language === 'JSONata') {
      for (const key of ['Output', 'Assign'])
        if (catcher[key] !== undefined) checkExpressions(r, catcher[key], `${cAt}/${key}`)
      if (catcher.Assign !== undefined) checkAssignNames(r, catcher.Assign, `${cAt}/Assign`)
    } else {
      if (catcher.Assign !== undefined) checkPayloadTemplate(r, catcher.Assign, `${cAt}/Assign`, true)
      if (catcher.ResultPath !== undefined)
        checkPath(r, catcher.ResultPath, `${cAt}/ResultPath`, 'ResultPath')
    }
  })
}

export function errorEquals(
  r: Rules,
  list: unknown,
  at: string,
  last: boolean,
  what: string,
  field: string,
): void {
  if (list === undefined) {
    r.add(SCHEMA, 'These fields are required: [ErrorEquals]', at)
    return
  }
  if (!Array.isArray(list) || list.length === 0 || !list.every((e) => typeof e === 'string' && e !== '')) {
    r.add(SCHEMA, '"ErrorEquals" must be a non-empty array of error names', `${at}/ErrorEquals`)
    return
  }
  if (!list.includes('States.ALL')) return
  if (list.length > 1) {
    r.add(SCHEMA, '"States.ALL" must be the only error name in its ErrorEquals', `${at}/ErrorEquals`)
  }
  if (!last) r.add(SCHEMA, `A ${what} with "States.ALL" must be the last one in ${field}`, at)
}
