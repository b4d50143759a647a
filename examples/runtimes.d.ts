// The few globals of Bun and Deno that examples/bun.ts and examples/deno.ts use,
// so that `tsc` checks those examples without either runtime's own type package.
// (In a Bun project, @types/bun declares them; in Deno, the runtime's own types.)

declare namespace Bun {
  interface Server {
    readonly port: number
  }
}

declare const Bun: {
  serve(options: { hostname?: string; port?: number; fetch(request: Request): Response | Promise<Response> }): Bun.Server
}

declare const Deno: {
  serve(
    options: { hostname?: string; port?: number; onListen?(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown
  readonly env: {
    get(name: string): string | undefined
    toObject(): Record<string, string>
  }
}
