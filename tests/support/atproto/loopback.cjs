// Preload (node -r ./loopback.cjs): every server that calls listen(port) without a host binds
// 127.0.0.1 instead of every interface. Listening on a path (Unix socket) or a handle is left alone.
'use strict'
const net = require('node:net')
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const rest = args.slice(1)
    if (typeof rest[0] === 'string') rest.shift() // an explicit host: replaced
    return listen.call(this, Number(first), '127.0.0.1', ...rest)
  }
  if (first && typeof first === 'object' && !first._handle && first.path === undefined && !first.fd) {
    return listen.call(this, { ...first, host: '127.0.0.1' }, ...args.slice(1))
  }
  return listen.apply(this, args)
}
