/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module '*.svelte' {
  import type { Component } from 'svelte'

  const component: Component<any>
  export default component
}

/** One language's flat message catalogue, written by `web/build/messages.ts`. */
declare module 'virtual:messages/*' {
  const messages: Record<string, string>
  export default messages
}
