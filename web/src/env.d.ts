/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module '*.svelte' {
  import type { Component } from 'svelte'

  const component: Component<any>
  export default component
}

/** Texts of one module in one language, written by `web/build/messages.ts`. */
declare module 'virtual:messages/*' {
  const texts: Record<string, string>
  export default texts
}
