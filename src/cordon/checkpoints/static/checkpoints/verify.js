// Offline credential verification shared by the scan page (and loadable in tests).
// Same checks, same order as cordon/status/credentials.py verify() + cordon/checkpoints/rules.py verdict().
(function (root) {
  "use strict";
  const COLOURS = { g: "green", y: "yellow", r: "red" };

  function b64uDecode(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  const keyCache = {};
  async function verifySignature(keyB64, signature, data) {
    if (root.crypto && root.crypto.subtle) {
      try {
        if (!keyCache[keyB64]) {
          keyCache[keyB64] = await root.crypto.subtle.importKey("raw", b64uDecode(keyB64), { name: "Ed25519" }, false, ["verify"]);
        }
        return await root.crypto.subtle.verify({ name: "Ed25519" }, keyCache[keyB64], signature, data);
      } catch (e) {
        if (!root.nacl) throw e; // WebCrypto without Ed25519: fall back to tweetnacl
      }
    }
    return root.nacl.sign.detached.verify(data, signature, b64uDecode(keyB64));
  }

  // -> {ok, reason, claims}
  async function check(code, keys, nowSeconds, leeway) {
    leeway = leeway === undefined ? 60 : leeway;
    if (typeof code !== "string" || code.length > 600) return { ok: false, reason: "malformed" };
    const parts = code.trim().split(".");
    if (parts.length !== 3 || parts[0] !== "CD1") return { ok: false, reason: "malformed" };
    let payload, signature, claims;
    try {
      payload = b64uDecode(parts[1]);
      signature = b64uDecode(parts[2]);
      claims = JSON.parse(new TextDecoder().decode(payload));
    } catch (e) {
      return { ok: false, reason: "malformed" };
    }
    if (!claims || claims.v !== 1 || !(claims.c in COLOURS) || !Number.isInteger(claims.e)) return { ok: false, reason: "malformed" };
    const key = keys[claims.k];
    if (!key) return { ok: false, reason: "unknown_key", claims };
    let good = false;
    try { good = await verifySignature(key, signature, payload); } catch (e) { good = false; }
    if (!good) return { ok: false, reason: "forged", claims };
    if (nowSeconds > claims.e) return { ok: false, reason: "expired", claims };
    if (nowSeconds + leeway < (claims.i || 0)) return { ok: false, reason: "not_yet_valid", claims };
    return { ok: true, reason: "", claims };
  }

  // -> [result, reason] with cfg = {validity_hours, pass_colours, hold_origin_risk_levels, no_exit_colours}
  function verdict(checked, cfg, nowSeconds, originLevel, direction) {
    if (checked.reason) return checked.reason === "expired" ? ["redirect", "expired"] : ["hold", checked.reason];
    const colour = COLOURS[checked.claims.c];
    if (direction === "out" && (cfg.no_exit_colours || []).indexOf(colour) >= 0) return ["hold", "no_exit"];
    if (colour === "red") return ["hold", "colour_red"];
    if (originLevel && (cfg.hold_origin_risk_levels || []).indexOf(originLevel) >= 0) return ["hold", "origin_risk_area"];
    if ((cfg.pass_colours || ["green"]).indexOf(colour) < 0) return ["redirect", "colour_yellow"];
    if (!checked.claims.n) return ["redirect", "no_test"];
    if (nowSeconds - checked.claims.n > cfg.validity_hours * 3600) return ["redirect", "test_too_old"];
    return ["pass", "ok"];
  }

  function vehicleVerdict(passes, number, plate, nowSeconds) {
    const p = (passes || []).find((x) => x.number === number);
    if (!p || p.plate !== plate || nowSeconds < p.from || nowSeconds > p.until) return ["redirect", "pass_invalid"];
    return ["pass", "green_lane"];
  }

  root.CordonVerify = { check, verdict, vehicleVerdict, COLOURS, b64uDecode };
})(typeof window !== "undefined" ? window : globalThis);
