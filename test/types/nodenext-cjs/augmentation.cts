// Declaring SessionData from a CommonJS file works the same as from ESM.
export {}

declare module 'cookie-session' {
  interface SessionData {
    cart: string[]
    profile: { id: number; name: string }
  }
}
