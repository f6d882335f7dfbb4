// Preloaded (NODE_OPTIONS=--require) into Shipshape's processes by the privacy tests: every
// attempt to open a network connection or resolve a host name is written to the file named by
// SHIPSHAPE_NETWORK_LOG and fails, so a test can prove that nothing leaves the machine.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const tls = require('node:tls');
const dns = require('node:dns');
const http = require('node:http');
const https = require('node:https');

const logFile = process.env.SHIPSHAPE_NETWORK_LOG;

function blocked(what) {
  if (logFile) fs.appendFileSync(logFile, `${process.pid} ${what}\n`);
  return new Error(`network access blocked by the test: ${what}`);
}

const describe = (args) => {
  const first = args[0];
  if (first && typeof first === 'object') return `${first.host ?? first.hostname ?? first.path ?? ''}:${first.port ?? ''}`;
  return args.slice(0, 2).map(String).join(':');
};

// Local IPC (pipes, unix sockets) is how the LSP talks on some transports: allow a `path`.
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const options = args[0];
  if (options && typeof options === 'object' && options.path) return originalConnect.apply(this, args);
  if (typeof options === 'string' && !/^\d+$/.test(options)) return originalConnect.apply(this, args);
  throw blocked(`net.connect ${describe(args)}`);
};
tls.connect = (...args) => { throw blocked(`tls.connect ${describe(args)}`); };
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  dns[name] = (...args) => { throw blocked(`dns.${name} ${args[0]}`); };
  if (dns.promises[name]) dns.promises[name] = async (...args) => { throw blocked(`dns.promises.${name} ${args[0]}`); };
}
for (const [label, module] of [['http', http], ['https', https]]) {
  module.request = (...args) => { throw blocked(`${label}.request ${describe(args)}`); };
  module.get = (...args) => { throw blocked(`${label}.get ${describe(args)}`); };
}
if (typeof globalThis.fetch === 'function') {
  globalThis.fetch = async (input) => { throw blocked(`fetch ${String(input && input.url ? input.url : input)}`); };
}
