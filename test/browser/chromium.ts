// Shared setup of the browser suite: finds Chromium, launches it headless and
// off the network, and serves apps on the loopback interface.
import { existsSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Browser, type BrowserContext, type Cookie, chromium, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'

/** Where Chromium is looked for: `CHROMIUM_PATH`, else Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Flags that keep Chromium headless, sandbox-free (containers) and off the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The one line to print when there is no Chromium to run, or `undefined` when there is. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined
  return (
    `Browser tests need Chromium, not found at ${CHROMIUM_PATH}: install it ` +
    '(as root: apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.'
  )
}

/**
 * Launches headless Chromium. Playwright gives every launch its own temporary
 * user-data dir and every `newContext()` an empty cookie jar.
 */
export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing()
  if (missing !== undefined) throw new Error(missing)
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
}

/**
 * Registers a test file's browser hooks: one Chromium for the file, and for
 * each test a new context (an empty cookie jar) and page, handed to `onTest`
 * and closed after the test. Returns the browser's getter.
 */
export function useBrowser(onTest?: (context: BrowserContext, page: Page) => void): () => Browser {
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })
  if (onTest) {
    beforeEach(async () => {
      context = await (browser as Browser).newContext()
      onTest(context, await context.newPage())
    })
    afterEach(async () => {
      await context?.close()
    })
  }
  return () => browser as Browser
}

/** A running HTTP server on the loopback interface. */
export interface Site {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** The same server as another site: `http://localhost:<port>`. */
  readonly otherSiteUrl: string
  readonly port: number
  close(): Promise<void>
}

/** Serves `listener` on 127.0.0.1, on `port` or a free one. */
export async function serve(listener: RequestListener, port = 0): Promise<Site> {
  const server: Server = createServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const actual = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${actual}`,
    otherSiteUrl: `http://localhost:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** The jar's cookies for `url`, by name. */
export async function jar(context: BrowserContext, url: string): Promise<Map<string, Cookie>> {
  return new Map((await context.cookies(url)).map((c) => [c.name, c]))
}
