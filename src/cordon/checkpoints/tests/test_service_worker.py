"""The offline service workers of the checkpoint pages and the community gate page, run in node: both load core's
offline-worker.js; each keeps its own cache and leaves the other worker's alone (they share the origin's cache storage),
and answers a page from its cache when the network is down."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]
STATIC = {"/static/cordon/": SRC / "core" / "static" / "cordon"}
WORKERS = {"checkpoints": SRC / "checkpoints" / "static" / "checkpoints" / "sw.js",
           "community": SRC / "community" / "static" / "community" / "sw.js"}

# A fake service-worker global: cache storage in memory, a network that is down, events fired by hand.
HARNESS = """
const [worker, statics, before, pages] = JSON.parse(process.argv[2]);
const listeners = {};
const store = new Map(before.map((name) => [name, new Map()]));
globalThis.self = globalThis;
self.location = {origin: "https://city.example"};
self.addEventListener = (type, fn) => { listeners[type] = fn; };
self.skipWaiting = async () => {};
self.clients = {claim: async () => {}};
self.importScripts = (url) => require(statics[url]);
const cacheOf = (name) => {
  if (!store.has(name)) store.set(name, new Map());
  const c = store.get(name);
  return {addAll: async (urls) => urls.forEach((u) => c.set(u, "asset")), put: async (req, res) => c.set(new URL(req.url).pathname, res)};
};
globalThis.caches = {
  open: async (name) => cacheOf(name), keys: async () => [...store.keys()], delete: async (name) => store.delete(name),
  match: async (req) => { for (const c of store.values()) { const hit = c.get(new URL(req.url).pathname); if (hit) return hit; } },
};
globalThis.fetch = async () => { throw new TypeError("network down"); };
async function fire(type, event) { const waits = []; listeners[type]({...event, waitUntil: (p) => waits.push(p)}); await Promise.all(waits); }
async function get(path) {
  let answer = null;
  listeners.fetch({request: {method: "GET", url: "https://city.example" + path}, respondWith: (p) => { answer = p; }});
  if (answer === null) return "passed";
  const res = await answer.catch(() => "network");
  return res === "asset" ? "cached" : res === "network" ? "network" : res.type === "error" ? "error" : res.status;
}
(async () => {
  require(worker);
  await fire("install", {});
  await fire("activate", {});
  const out = {caches: [...store.keys()].sort(), pages: {}};
  for (const p of pages) out.pages[p] = await get(p);
  console.log(JSON.stringify(out));
})();
"""


def _run(tmp_path, worker: str, before: list[str], pages: list[str]) -> dict:
    script = tmp_path / "harness.js"
    script.write_text(HARNESS)
    statics = {prefix + f.name: str(f) for prefix, folder in STATIC.items() for f in folder.glob("*.js")}
    args = json.dumps([str(WORKERS[worker]), statics, before, pages])
    return json.loads(subprocess.run(["node", str(script), args], capture_output=True, text=True, check=True, timeout=60).stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_checkpoint_worker_keeps_its_cache_and_leaves_the_gate_worker_its_own(tmp_path):
    out = _run(tmp_path, "checkpoints", ["cordon-checkpoints-v1", "cordon-gate-v2"],
               ["/checkpoints/12/scan/", "/static/checkpoints/scan.js", "/static/checkpoints/other.js", "/checkpoints/"])
    assert out["caches"] == ["cordon-checkpoints-v2", "cordon-gate-v2"]
    assert out["pages"] == {"/checkpoints/12/scan/": 503, "/static/checkpoints/scan.js": "cached",
                            "/static/checkpoints/other.js": "network", "/checkpoints/": "passed"}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_gate_worker_keeps_its_cache_and_leaves_the_checkpoint_worker_its_own(tmp_path):
    out = _run(tmp_path, "community", ["cordon-gate-v1", "cordon-checkpoints-v2"],
               ["/community/gate/", "/static/community/gate.js", "/static/checkpoints/verify.js", "/static/cordon/cordon.css"])
    assert out["caches"] == ["cordon-checkpoints-v2", "cordon-gate-v2"]
    assert out["pages"] == {"/community/gate/": "error", "/static/community/gate.js": "cached",
                            "/static/checkpoints/verify.js": "cached", "/static/cordon/cordon.css": "passed"}
