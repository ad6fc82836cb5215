"""The signed pass code a key worker or driver shows (QR): `KW1.<base64url(payload)>.<base64url(signature)>`, an
Ed25519 signature with the city's credential keys (cordon.status.credentials: the same key files, rotation and
public keys as the health code), over a compact JSON payload:
  v  format version (1)      k  key id            n  pass number
  c  d (driver) / w (key worker)                  l  plate (drivers)
  x  closed-loop (1/0)       f, u  valid from / until (unix seconds)
The code proves the pass was issued by the city; the checkpoint then reads the pass as it is now (suspended,
revoked, the holder's latest test) by its number."""

import base64
import json

from cordon.status import credentials

PREFIX = "KW1"
MAX_LENGTH = 600


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(*, number: str, category: str, plate: str, closed_loop: bool, valid_from, valid_until) -> str:
    key = credentials.signing_key()
    payload = json.dumps({"v": 1, "k": key.kid, "n": number, "c": "d" if category == "driver" else "w", "l": plate,
                          "x": 1 if closed_loop else 0, "f": int(valid_from.timestamp()), "u": int(valid_until.timestamp())},
                         separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return f"{PREFIX}.{_b64e(payload)}.{_b64e(key.private.sign(payload))}"


def looks_signed(text: str) -> bool:
    return (text or "").strip().startswith(PREFIX + ".")


def decode(code: str) -> tuple[str, dict | None]:
    """("", claims) for a genuine code; ("malformed" | "unknown_key" | "forged", claims or None) otherwise."""
    parts = (code or "").strip().split(".")
    if len(code or "") > MAX_LENGTH or len(parts) != 3 or parts[0] != PREFIX:
        return "malformed", None
    try:
        payload, signature = _b64d(parts[1]), _b64d(parts[2])
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return "malformed", None
    if not isinstance(claims, dict) or claims.get("v") != 1 or not isinstance(claims.get("n"), str):
        return "malformed", None
    key = credentials.public_keys().get(claims.get("k"))
    if key is None:
        return "unknown_key", claims
    if not credentials.signature_valid(key, signature, payload):
        return "forged", claims
    return "", claims
