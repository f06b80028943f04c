import { mount } from 'svelte'
import App from './App.svelte'
import './app.css'
import { locale } from './lib/i18n/index.js'
import { router } from './lib/router.svelte.js'
import { session } from './lib/session.svelte.js'

locale.apply()
router.start()
void session.load()
// A German reader's first paint is German: its catalogue arrives while the session loads.
await locale.ready

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no element with id "app" to mount the app in')

/** The mounted app. */
export default mount(App, { target })
