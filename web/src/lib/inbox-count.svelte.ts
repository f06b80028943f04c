import { api } from './api.js'

/**
 * How many tasks wait for the signed-in person in the current organisation (the inbox's
 * default view: assigned to them and unclaimed for their roles), shown in the navigation.
 * Read when the shell starts or the organisation changes; the inbox page hands over the
 * total it already read, so showing the count costs no extra read there.
 */
class InboxCount {
  /** The count, or `undefined` while unknown (the navigation then shows no number). */
  value = $state<number | undefined>(undefined)
  private asked = 0

  /** Reads the count for the current organisation. Failures leave the number out. */
  async refresh() {
    const ask = ++this.asked
    try {
      const page = await api.get<{ total: number }>('/api/tasks?view=waiting&scope=org&limit=1')
      if (ask === this.asked) this.value = page.total
    } catch {
      if (ask === this.asked) this.value = undefined
    }
  }

  /** Takes a total the inbox read for the default view (newer than any read in flight). */
  set(total: number) {
    this.asked++
    this.value = total
  }
}

/** The navigation's inbox count. */
export const inboxCount = new InboxCount()
