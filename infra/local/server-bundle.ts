/** Where `npm run build:server` writes the local stack's bundle and `npm start` runs it from. */
export const SERVER_BUNDLE = '.build/local/main.js'
