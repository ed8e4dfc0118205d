// SPDX-License-Identifier: GPL-3.0-or-later
//
// Preloaded with `node -r`: inside this test process only, any host name under
// intacct.com resolves to 127.0.0.1, so the official SDK (which refuses endpoints
// outside intacct.com) reaches the sandbox on loopback without a change to its code,
// and no packet ever leaves the machine.
"use strict";
const dns = require("dns");
const realLookup = dns.lookup;

dns.lookup = function (hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (typeof options === "number") {
    options = { family: options };
  }
  if (/(^|\.)intacct\.com\.?$/i.test(hostname)) {
    if (options && options.all) {
      return process.nextTick(callback, null, [{ address: "127.0.0.1", family: 4 }]);
    }
    return process.nextTick(callback, null, "127.0.0.1", 4);
  }
  return realLookup.call(dns, hostname, options, callback);
};
