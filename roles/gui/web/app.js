// The gui page: polls the gui process's JSON API, which runs the node's RPCs over IPC.
"use strict";

const token = new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
const $ = (id) => document.getElementById(id);
let currentWallet = "";

async function api(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: { "x-gui-token": token, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply = await response.json();
  if (!response.ok) throw new Error(reply.error ?? response.statusText);
  return reply;
}

/** Runs an RPC; resolves to its result, rejects with the node's error message. */
async function rpc(method, params = [], wallet) {
  const reply = await api("/api/rpc", { method, params, wallet });
  if (reply.error) throw new Error(`${reply.error.message} (code ${reply.error.code})`);
  return reply.result;
}

function text(id, value) {
  $(id).textContent = value;
}

async function refreshNode() {
  const node = await api("/api/node");
  const badge = $("node-state");
  badge.textContent = `node ${node.state}${node.pid ? ` (pid ${node.pid})` : ""}`;
  badge.className = `badge ${node.state}`;
  $("restart").hidden = node.state !== "down";
  $("node-reason").hidden = node.state !== "down";
  text("node-reason", node.reason ? `The node is down: ${node.reason}` : "");
  return node.state === "up";
}

async function refreshStatus() {
  const info = await rpc("getblockchaininfo");
  text("st-chain", info.chain);
  text("st-height", String(info.blocks));
  text("st-best", info.bestblockhash);
  text("st-progress", `${(info.verificationprogress * 100).toFixed(2)} %`);
  text("st-peers", String(await rpc("getconnectioncount")));
  const mempool = await rpc("getmempoolinfo");
  text("st-mempool", `${mempool.size} transactions (${mempool.bytes} bytes)`);
}

async function refreshWallets() {
  const wallets = await rpc("listwallets");
  const select = $("wallet-select");
  if (!wallets.includes(currentWallet)) currentWallet = wallets[0] ?? "";
  select.replaceChildren(...wallets.map((name) => new Option(name || "(default)", name)));
  select.value = currentWallet;
  if (!wallets.includes(currentWallet)) return;
  const balances = await rpc("getbalances", [], currentWallet);
  text("bal-trusted", `${balances.mine.trusted} FRC`);
  text("bal-pending", `${balances.mine.untrusted_pending} FRC`);
  text("bal-immature", `${balances.mine.immature} FRC`);
  const txs = await rpc("listtransactions", ["*", 10], currentWallet);
  $("txs").tBodies[0].replaceChildren(
    ...txs.reverse().map((tx) => {
      const row = document.createElement("tr");
      for (const value of [tx.category, tx.amount, tx.confirmations, tx.txid]) {
        row.insertCell().textContent = String(value);
      }
      return row;
    }),
  );
}

async function refresh() {
  try {
    if (await refreshNode()) {
      await refreshStatus();
      await refreshWallets();
    }
  } catch (error) {
    text("wallet-message", String(error.message ?? error));
  }
}

function consoleWrite(line) {
  const out = $("console-output");
  out.textContent += line + "\n";
  out.scrollTop = out.scrollHeight;
}

/** `method arg1 arg2`: each argument is JSON when it parses, a string otherwise. */
function parseCommand(line) {
  const words = line.trim().match(/"[^"]*"|\S+/g) ?? [];
  const [method, ...rest] = words;
  const params = rest.map((word) => {
    try {
      return JSON.parse(word);
    } catch {
      return word;
    }
  });
  return { method, params };
}

$("console-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const line = $("console-input").value;
  $("console-input").value = "";
  const { method, params } = parseCommand(line);
  if (!method) return;
  consoleWrite(`> ${line}`);
  try {
    const result = await rpc(method, params, currentWallet || undefined);
    consoleWrite(typeof result === "string" ? result : JSON.stringify(result, null, 2));
  } catch (error) {
    consoleWrite(`error: ${error.message}`);
  }
  await refresh();
});

$("wallet-create").addEventListener("submit", async (event) => {
  event.preventDefault();
  await walletAction("createwallet");
});
$("wallet-load").addEventListener("click", () => walletAction("loadwallet"));

async function walletAction(method) {
  const name = $("wallet-name").value;
  try {
    const result = await rpc(method, [name]);
    currentWallet = result.name;
    text("wallet-message", `${method}: ${result.name}`);
  } catch (error) {
    text("wallet-message", `${method} failed: ${error.message}`);
  }
  await refresh();
}

$("wallet-select").addEventListener("change", (event) => {
  currentWallet = event.target.value;
  refresh();
});

$("new-address").addEventListener("click", async () => {
  try {
    text("address", await rpc("getnewaddress", [], currentWallet));
  } catch (error) {
    text("wallet-message", `getnewaddress failed: ${error.message}`);
  }
});

$("send").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const txid = await rpc(
      "sendtoaddress",
      [$("send-to").value, $("send-amount").value],
      currentWallet,
    );
    text("wallet-message", `sent: ${txid}`);
  } catch (error) {
    text("wallet-message", `send failed: ${error.message}`);
  }
  await refresh();
});

$("restart").addEventListener("click", async () => {
  text("node-state", "node starting");
  await api("/api/node/restart", {});
  await refresh();
});

refresh();
setInterval(refresh, 2000);
