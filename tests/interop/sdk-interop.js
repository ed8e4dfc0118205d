// SPDX-License-Identifier: GPL-3.0-or-later
//
// sdk-interop.js SANDBOX-BINARY
//
// Starts costbridge-sandbox on a free loopback port and drives it with the official
// Sage Intacct JavaScript SDK (@intacct/intacct-sdk), unchanged: sessions, entity
// sessions, readByQuery and readMore paging, query with a filter, generic create of a
// vendor and a project, readByName, and the SDK's handling of a refused sender.
// Prints TAP. When the SDK is not installed (no node_modules), skips as a whole.
"use strict";

const { spawn } = require("child_process");
const path = require("path");

let IA;
try {
  IA = require(path.join(__dirname, "node_modules", "@intacct", "intacct-sdk"));
} catch (e) {
  console.log("1..0 # SKIP the Intacct JavaScript SDK is not installed (npm ci in tests/interop)");
  process.exit(0);
}

const SENDER = { id: "costbridge", password: "demo-sender-pass" };
const LOGIN = { company: "costbridge-demo", user: "ws_costbridge", password: "demo-user-pass" };

const tests = [];
function test(name, fn) {
  tests.push({ name, fn });
}
function check(cond, what) {
  if (!cond) {
    throw new Error("expected " + what);
  }
}

function startSandbox(binary) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error("the sandbox did not start")), 10000);
    child.stdout.on("data", (chunk) => {
      out += chunk.toString();
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on("exit", (code) => reject(new Error("the sandbox exited with " + code)));
  });
}

function loginConfig(port, entity) {
  const config = new IA.ClientConfig();
  config.senderId = SENDER.id;
  config.senderPassword = SENDER.password;
  config.companyId = LOGIN.company;
  config.userId = LOGIN.user;
  config.userPassword = LOGIN.password;
  // A name under intacct.com, as the SDK insists; loopback-intacct.js resolves it locally.
  config.endpointUrl = `http://sandbox.intacct.com:${port}/ia/xml/xmlgw.phtml`;
  if (entity !== undefined) {
    config.entityId = entity;
  }
  return config;
}

async function main() {
  const { child, port } = await startSandbox(process.argv[2]);
  let session;

  test("SessionProvider gets a session through login and getAPISession", async () => {
    session = await IA.SessionProvider.factory(loginConfig(port));
    check(typeof session.sessionId === "string" && session.sessionId.length > 0, "a session id");
    check(/\.intacct\.com(:\d+)?\//.test(session.endpointUrl), "an endpoint under intacct.com, got " + session.endpointUrl);
    check(session.companyId === LOGIN.company, "the company id echoed");
    check(session.entityId === "", "the top level (empty locationid)");
  });

  test("readByQuery pages vendors and readMore continues with the resultId", async () => {
    const client = new IA.OnlineClient(session);
    const rbq = new IA.Functions.Common.ReadByQuery();
    rbq.objectName = "VENDOR";
    rbq.fields = ["RECORDNO", "VENDORID", "NAME"];
    rbq.pageSize = 10;
    const first = (await client.execute(rbq)).getResult();
    check(first.status === "success", "success");
    check(first.count === 10 && first.data.length === 10, "10 vendors on the first page");
    check(first.totalCount >= 40, "about fifty vendors in total, got " + first.totalCount);
    check(first.numRemaining === first.totalCount - 10, "numremaining = total - 10");
    check(first.resultId.length > 0, "a resultId");
    const more = new IA.Functions.Common.ReadMore();
    more.resultId = first.resultId;
    const second = (await client.execute(more)).getResult();
    check(second.status === "success" && second.data.length === 10, "a second page of 10");
    check(second.numRemaining === first.numRemaining - 10, "numremaining down by 10");
  });

  test("query with a filter and an order returns matching vendors", async () => {
    const client = new IA.OnlineClient(session);
    const NQ = IA.Functions.Common.NewQuery;
    const q = new NQ.Query()
      .assignFromObject("VENDOR")
      .assignSelectFields(new NQ.QuerySelect.SelectBuilder().addFields(["VENDORID", "NAME", "STATUS"]).selects)
      .assignFilter(new NQ.QueryFilter.Filter("STATUS").equalTo("active"))
      .assignOrderBy(new NQ.QueryOrderBy.OrderBuilder().addAscending("VENDORID").orders)
      .assignPageSize(100);
    const result = (await client.execute(q)).getResult();
    check(result.status === "success", "success");
    check(result.data.length > 0, "some active vendors");
    const ids = result.data.map((v) => v.VENDORID);
    check(result.data.every((v) => v.STATUS === "active"), "only active vendors");
    check(ids.join() === [...ids].sort().join(), "vendors in VENDORID order");
  });

  test("a vendor created with VendorCreate can be read back by name", async () => {
    const client = new IA.OnlineClient(session);
    const create = new IA.Functions.AccountsPayable.VendorCreate();
    create.vendorId = "SDK-" + process.pid;
    create.vendorName = "Interop Test Supply";
    create.printAs = "Interop Test Supply"; // left unset, the SDK sends an empty PRINTAS
    const created = (await client.execute(create)).getResult();
    check(created.status === "success", "success");
    const rbn = new IA.Functions.Common.ReadByName();
    rbn.objectName = "VENDOR";
    rbn.names = [create.vendorId];
    const read = (await client.execute(rbn)).getResult();
    check(read.data.length === 1 && read.data[0].NAME === "Interop Test Supply", "the vendor read back");
  });

  test("a project created with ProjectCreate is refused the second time as a duplicate", async () => {
    const client = new IA.OnlineClient(session);
    const make = () => {
      const p = new IA.Functions.Projects.ProjectCreate();
      p.projectId = "SDK-P-" + process.pid;
      p.projectName = "Interop test project";
      p.projectCategory = "Contract";
      return p;
    };
    const first = (await client.execute(make())).getResult();
    check(first.status === "success", "the first create succeeds");
    let refused = null;
    try {
      await client.execute(make());
    } catch (e) {
      refused = e;
    }
    check(refused !== null && refused.errors.join(" ").length > 0, "the SDK to raise the duplicate");
  });

  test("an entity session is scoped to the entity", async () => {
    const config = await IA.SessionProvider.factory(loginConfig(port, "100"));
    check(config.entityId === "100", "locationid 100");
  });

  test("a wrong sender password makes the SDK raise a control failure", async () => {
    const config = loginConfig(port);
    config.senderPassword = "wrong";
    let raised = null;
    try {
      await IA.SessionProvider.factory(config);
    } catch (e) {
      raised = e;
    }
    check(raised !== null, "an exception");
    check(raised.errors.join(" ").includes("XL03000006"), "XL03000006 among the errors: " + raised.errors);
  });

  console.log(`1..${tests.length}`);
  let failed = 0;
  for (let i = 0; i < tests.length; i++) {
    try {
      await tests[i].fn();
      console.log(`ok ${i + 1} - ${tests[i].name}`);
    } catch (e) {
      failed++;
      console.log(`not ok ${i + 1} - ${tests[i].name}`);
      console.log("# " + String(e && e.stack || e).split("\n").join("\n# "));
    }
  }
  child.kill("SIGTERM");
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log("Bail out! " + e.message);
  process.exit(1);
});
