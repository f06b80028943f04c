/**
 * Server side: loads every form definition in `workflows/forms/*.json` into a registry.
 * Each file is checked on load; a broken one stops the load with its file name and the
 * JSON path of each problem. File names are `<id>.json` or `<id>.v<version>.json`.
 */
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { createFormRegistry, FormDefinitionError, type FormRegistry } from '../domain/forms/index.js'

/** Where the definitions live in the repository. */
export const FORMS_DIR = fileURLToPath(new URL('../../workflows/forms/', import.meta.url))

/**
 * Reads and checks all definitions in `dir` (default {@link FORMS_DIR}; the API passes the
 * configured `formsDir`, the Lambda bundle's on AWS).
 */
export async function loadFormDefinitions(options: { dir?: string } = {}): Promise<FormRegistry> {
  const dir = options.dir ?? FORMS_DIR
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()
  const texts = await Promise.all(files.map((f) => readFile(`${dir}/${f}`, 'utf8')))
  const registry = createFormRegistry(texts, files)
  files.forEach((file, i) => {
    const { id, version } = JSON.parse(texts[i]) as { id: string; version: number }
    if (file !== `${id}.json` && file !== `${id}.v${version}.json`)
      throw new FormDefinitionError(
        [{ path: 'id', message: `file name must be ${id}.json or ${id}.v${version}.json` }],
        file,
      )
  })
  return registry
}
