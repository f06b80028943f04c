/**
 * The Svelte compiler's options, read by the build (`@sveltejs/vite-plugin-svelte`) and by
 * `svelte-check` (`npm run typecheck:web`) alike: every component is in runes mode.
 *
 * @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig}
 */
export default {
  compilerOptions: { runes: true },
}
