import { t } from './i18n/index.js'
import { hasMessage } from './i18n/translate.js'

/**
 * Who did something, in words: people by their name, ismsflow's own processes (actor ids
 * `system:workflow`, `system:seed`, …) as “ismsflow (workflow)”, “ismsflow (demo data)”.
 * `name` is the name recorded with the action, if any.
 */
export function actorName(userId: string, name?: string): string {
  if (userId.startsWith('system:')) {
    const key = `common.actor.${userId.slice('system:'.length)}`
    return hasMessage(key) ? t(key) : t('common.actor.system')
  }
  return name || userId
}
