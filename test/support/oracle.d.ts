// cookie-session 2.1.1, the reference implementation, installed under an alias.
declare module 'cookie-session-2' {
  const cookieSession: (options?: object) => (req: unknown, res: unknown, next: (err?: unknown) => void) => void
  export = cookieSession
}
