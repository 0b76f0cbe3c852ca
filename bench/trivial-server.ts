// The server every generator drives in the benchmark: one process, a constant small JSON answer
// on every path, keep-alive on. It exists to be as cheap as possible, so the generators differ.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const body = '{"status":"ok"}'
const server = createServer((request, response) => {
  request.resume()
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  response.end(body)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(`http://127.0.0.1:${port}\n`)
})
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
