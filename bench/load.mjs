// The benchmark's load generator: autocannon in its own process (pinned to its own CPU by bench/run.mjs), driven over IPC.
//
// Each message `{ url, cookie, connections, seconds }` runs one load and is
// answered with `{ requests, seconds, non2xx, errors }`.
import autocannon from 'autocannon'

process.on('message', async ({ url, cookie, connections, seconds }) => {
  const r = await autocannon({ url, connections, duration: seconds, headers: cookie ? { cookie } : {} })
  process.send({ requests: r.requests.total, seconds: r.duration, non2xx: r.non2xx, errors: r.errors + r.timeouts })
})
process.on('disconnect', () => process.exit(0))
