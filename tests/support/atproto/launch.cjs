// Start a Bluesky test network (PLC directory + reference PDS, no AppView) on loopback and print its
// URLs as one JSON line on stdout when ready. Runs until killed (SIGTERM/SIGINT closes it cleanly).
//
//   ATPROTO_CACHE=<install dir> node -r ./loopback.cjs launch.cjs <plcPort> <pdsPort>
'use strict'
const path = require('node:path')
const { createRequire } = require('node:module')

const cache = process.env.ATPROTO_CACHE
if (!cache) throw new Error('set ATPROTO_CACHE to the folder install.sh filled')
const requireFromCache = createRequire(path.join(cache, 'package.json'))
const { TestNetworkNoAppView } = requireFromCache('@atproto/dev-env')

async function main() {
  const [plcPort, pdsPort] = process.argv.slice(2).map(Number)
  if (!plcPort || !pdsPort) throw new Error('usage: launch.cjs <plcPort> <pdsPort>')
  const network = await TestNetworkNoAppView.create({
    plc: { port: plcPort },
    pds: {
      port: pdsPort,
      hostname: 'localhost',
      enableDidDocWithSession: true,
      bskyAppViewUrl: 'http://127.0.0.1:1',
      modServiceUrl: 'http://127.0.0.1:1',
    },
  })
  const close = async () => {
    try {
      await network.close()
    } finally {
      process.exit(0)
    }
  }
  process.on('SIGTERM', close)
  process.on('SIGINT', close)
  process.stdout.write(
    JSON.stringify({ plc: network.plc.url, pds: network.pds.url, pid: process.pid }) + '\n',
  )
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
