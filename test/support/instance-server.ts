// One app instance in its own process, for test/instances.test.ts:
//   SESSION_KEYS='["k1","k2"]' INSTANCE=a node --import tsx test/support/instance-server.ts
// Listens on 127.0.0.1 on a free port, prints "listening <port>", exits when stdin closes.
import { createServer } from 'node:http'
import cookieSession from '../../src/index.js'

const keys = JSON.parse(process.env.SESSION_KEYS ?? '[]') as string[]
const instance = process.env.INSTANCE ?? '?'
const middleware = cookieSession({ keys, maxAge: 86_400_000 })

const server = createServer((req, res) => {
  middleware(req, res, () => {
    const session = (req as any).session
    const isNew = session.isNew
    session.count = (session.count ?? 0) + 1
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ instance, pid: process.pid, isNew, count: session.count }))
  })
})

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`)
})
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
