// A small Express 5 app around cookie-session for the browser scenarios. Every
// page shows, in plain elements, what the server saw, so that tests can assert
// on the page as well as on the browser's cookie jar.
import cookieSession, { type CookieSessionOptions } from 'cookie-session'
import express from 'express'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Names of the cookies in a `Cookie` request header. */
function cookieNames(header: string | undefined): string {
  return (header ?? '')
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim())
    .filter(Boolean)
    .join(',')
}

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`
}

/** Session data whose cookie value (base64 JSON, padded) is exactly `length` characters; `length` must be a multiple of 4. */
export function dataOfEncodedLength(length: number): { d: string } {
  if (length % 4 !== 0) throw new Error('base64 lengths are multiples of 4')
  // `{"d":""}` is 8 bytes; 3 bytes of JSON make 4 base64 characters, with no padding when the JSON length is a multiple of 3.
  return { d: 'x'.repeat((length / 4) * 3 - 8) }
}

/**
 * Routes:
 * - `GET /` counts views in the session (`#views`);
 * - `GET /set?k=v…` merges the query into the session;
 * - `GET /big?length=L` replaces the session with data whose cookie value is L characters;
 * - `GET|POST /peek` reads the session without changing it (`#session`, `#is-new`);
 * - `GET /noop` never touches the session;
 * - every page shows the names of the cookies the request carried (`#cookies`);
 * - `GET /pad?target=URL` is a launch pad with a link (`#go`) and a POST form (`#post`) to `target`;
 * - `GET /frame?target=URL` embeds `target` in an iframe (a subresource request, not a top-level navigation).
 *
 * `factory` makes the middleware: this package unless a test passes cookie-session 2.1.1.
 */
export function sessionApp(
  options: CookieSessionOptions,
  factory: (options: CookieSessionOptions) => express.RequestHandler = cookieSession as never,
): express.Express {
  const app = express()
  app.use(factory(options))
  const shown = (req: express.Request, body: string) =>
    page(`${body}<p id="cookies">${escapeHtml(cookieNames(req.headers.cookie))}</p>`)

  app.get('/', (req, res) => {
    req.session.views = ((req.session.views as number) || 0) + 1
    res.send(shown(req, `<p id="views">${req.session.views}</p>`))
  })
  app.get('/set', (req, res) => {
    Object.assign(req.session, req.query)
    res.send(shown(req, `<pre id="session">${escapeHtml(JSON.stringify(req.session))}</pre>`))
  })
  app.get('/big', (req, res) => {
    req.session = dataOfEncodedLength(Number(req.query.length))
    res.send(shown(req, '<p id="big">stored</p>'))
  })
  app.all('/peek', (req, res) => {
    const session = req.session
    res.send(
      shown(
        req,
        `<pre id="session">${escapeHtml(JSON.stringify(session))}</pre><p id="is-new">${session?.isNew}</p>` +
          `<p id="method">${req.method}</p>`,
      ),
    )
  })
  app.get('/noop', (req, res) => {
    res.send(shown(req, '<p id="noop">untouched</p>'))
  })
  app.get('/pad', (req, res) => {
    const target = escapeHtml(String(req.query.target))
    res.send(
      page(
        `<a id="go" href="${target}">go</a>` +
          `<form id="post" method="post" action="${target}"><button id="submit" type="submit">post</button></form>`,
      ),
    )
  })
  app.get('/frame', (req, res) => {
    res.send(page(`<iframe id="frame" src="${escapeHtml(String(req.query.target))}"></iframe>`))
  })
  return app
}
