// SessionData declared from an ESM file: the keys reach req.session in the CommonJS files too
// (require.cts reads them).
export {}

declare module 'cookie-session' {
  interface SessionData {
    theme: 'light' | 'dark'
  }
}
