"""Signed health status credentials (the QR code a resident shows) and their offline verification.

A credential is `CD1.<base64url(payload)>.<base64url(signature)>`: an Ed25519 signature over the
payload bytes, a compact JSON object with short keys so the QR code stays small:
  v  format version (1)          k  key id of the signing key
  t  person token (never the ID number)
  c  colour: g / y / r           n  latest negative sample time (unix seconds, 0 = none)
  s  status version              i  issued at, e  expires at (unix seconds)
Revocation is by short expiry (status.credential_ttl_minutes) plus re-issue on every status
change (the version moves). Issuing reads only the person and health status rows, so showing a
code never depends on the sample-registration path.

Keys: one Ed25519 key pair per key id, kept as files under CORDON_CREDENTIAL_KEY_DIR (default
VAR_DIR/credential-keys), generated on first use. `key_rotate()` makes a new signing key; older
public keys stay valid for verification, so codes issued just before a rotation still verify.
"""

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from cordon.core import clock, policy
from cordon.people.models import Person
from cordon.status.models import HealthStatus

PREFIX = "CD1"
COLOUR_CODES = {"green": "g", "yellow": "y", "red": "r"}
COLOURS = {v: k for k, v in COLOUR_CODES.items()}
MAX_CODE_LENGTH = 600


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_dir() -> Path:
    path = Path(getattr(settings, "CORDON_CREDENTIAL_KEY_DIR", None) or Path(settings.VAR_DIR) / "credential-keys")
    path.mkdir(parents=True, exist_ok=True)
    return path


# Verification goes through libsodium (PyNaCl): about twice the checks per second of the cryptography package's
# Ed25519 here, which matters on a checkpoint phone or gate checking codes offline. Keys are cached per key object.
_VERIFIERS: dict[int, tuple[Ed25519PublicKey, VerifyKey]] = {}


def _verifier(key: Ed25519PublicKey) -> VerifyKey:
    held = _VERIFIERS.get(id(key))
    if held is None or held[0] is not key:
        held = (key, VerifyKey(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)))
        if len(_VERIFIERS) > 64:
            _VERIFIERS.clear()
        _VERIFIERS[id(key)] = held
    return held[1]


def signature_valid(key: Ed25519PublicKey, signature: bytes, payload: bytes) -> bool:
    """Whether `signature` is the Ed25519 signature of `payload` under `key` (one of the city's credential keys)."""
    try:
        _verifier(key).verify(payload, signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def _kid(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:12]


@dataclass(frozen=True)
class KeyPair:
    kid: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_raw(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


_cache: dict[str, object] = {}


def clear_cache() -> None:
    _cache.clear()


def _write_new_key(folder: Path) -> KeyPair:
    private = Ed25519PrivateKey.generate()
    kid = _kid(private.public_key())
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    fd = os.open(folder / f"{kid}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    return KeyPair(kid=kid, private=private)


def _load(folder: Path, kid: str) -> KeyPair:
    private = Ed25519PrivateKey.from_private_bytes((folder / f"{kid}.key").read_bytes())
    return KeyPair(kid=kid, private=private)


def signing_key() -> KeyPair:
    """The current signing key, generated on first use (safe when several workers start at once)."""
    hit = _cache.get("signing")
    if hit is not None:
        return hit
    folder = key_dir()
    current = folder / "current"
    if not current.exists():
        pair = _write_new_key(folder)
        try:
            fd = os.open(current, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(pair.kid)
        except FileExistsError:
            (folder / f"{pair.kid}.key").unlink(missing_ok=True)  # another worker won the race
    pair = _load(folder, current.read_text().strip())
    _cache["signing"] = pair
    return pair


def key_rotate() -> KeyPair:
    """Make a new signing key; earlier public keys stay valid for verification."""
    folder = key_dir()
    pair = _write_new_key(folder)
    tmp = folder / f"current.{pair.kid}.tmp"
    tmp.write_text(pair.kid)
    tmp.replace(folder / "current")
    clear_cache()
    return pair


def public_keys() -> dict[str, Ed25519PublicKey]:
    """{key id: public key} for every key the city has signed with."""
    hit = _cache.get("public")
    if hit is not None:
        return hit
    signing_key()
    folder = key_dir()
    keys = {p.stem: Ed25519PrivateKey.from_private_bytes(p.read_bytes()).public_key() for p in folder.glob("*.key")}
    _cache["public"] = keys
    return keys


def public_keys_raw() -> dict[str, str]:
    """{key id: base64url raw public key}, what a checkpoint page caches for offline checks."""
    return {kid: _b64e(k.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
            for kid, k in public_keys().items()}


def _ts(value: dt.datetime | None) -> int:
    return int(value.timestamp()) if value else 0


def encode(*, token: str, colour: str, last_negative_at: dt.datetime | None, version: int, issued_at: dt.datetime,
           expires_at: dt.datetime, key: KeyPair | None = None) -> str:
    """Sign the claims with the current key and return the compact code."""
    key = key or signing_key()
    payload = json.dumps({"v": 1, "k": key.kid, "t": token, "c": COLOUR_CODES[colour], "n": _ts(last_negative_at),
                          "s": int(version), "i": _ts(issued_at), "e": _ts(expires_at)},
                         separators=(",", ":")).encode("ascii")
    return f"{PREFIX}.{_b64e(payload)}.{_b64e(key.private.sign(payload))}"


def credential_for(*, token: str, colour: str, last_negative_at, version: int, now: dt.datetime | None = None,
                   ttl_minutes: int | None = None) -> dict:
    """A fresh credential for already-loaded status values (the TTL comes from the rule set in force)."""
    now = now or clock.now()
    if ttl_minutes is None:
        ttl_minutes = int(policy.in_force(now).get("status.credential_ttl_minutes", 10))
    expires = now + dt.timedelta(minutes=ttl_minutes)
    code = encode(token=token, colour=colour, last_negative_at=last_negative_at, version=version,
                  issued_at=now, expires_at=expires)
    return {"code": code, "colour": colour, "last_negative_at": last_negative_at, "version": version,
            "issued_at": now.replace(microsecond=0), "expires_at": expires.replace(microsecond=0)}


_SQL: dict[str, str] = {}


def _status_sql() -> str:
    """One indexed lookup by token; raw SQL because this is the hottest endpoint of the city (no ORM compile per request)."""
    hit = _SQL.get("status")
    if hit is None:
        p, h = Person._meta.db_table, HealthStatus._meta.db_table
        hit = (f'SELECT h.colour, h.last_negative_at, h.version FROM "{p}" p LEFT JOIN "{h}" h ON h.person_id = p.id '
               f"WHERE p.token = %s LIMIT 1")
        _SQL["status"] = hit
    return hit


def current_status(token: str) -> tuple[str, dt.datetime | None, int] | None:
    """(colour, latest negative, status version) of the person with this token now (None for an unknown token);
    a server-side check compares it with a presented code's claims, which may predate a change."""
    with connection.cursor() as cursor:
        cursor.execute(_status_sql(), [token])
        row = cursor.fetchone()
    if row is None:
        return None
    colour, last_negative_at, version = row
    if isinstance(last_negative_at, str):
        last_negative_at = parse_datetime(last_negative_at)
    if last_negative_at is not None and timezone.is_naive(last_negative_at):
        last_negative_at = last_negative_at.replace(tzinfo=dt.UTC)
    return colour or "green", last_negative_at, version or 0


def credential_issue(*, token: str, now: dt.datetime | None = None) -> dict | None:
    """Sign a credential for the person with this token (None for an unknown token); one indexed query."""
    row = current_status(token)
    if row is None:
        return None
    colour, last_negative_at, version = row
    return credential_for(token=token, colour=colour, last_negative_at=last_negative_at, version=version, now=now)


@dataclass(frozen=True)
class Checked:
    """The outcome of reading a code: ok, or the reason it is not acceptable, and the claims."""

    ok: bool
    reason: str  # "" | malformed | unknown_key | forged | expired | not_yet_valid
    claims: dict | None = None

    @property
    def colour(self) -> str | None:
        return COLOURS.get(self.claims.get("c")) if self.claims else None

    @property
    def last_negative_at(self) -> dt.datetime | None:
        n = self.claims.get("n") if self.claims else 0
        return dt.datetime.fromtimestamp(n, tz=dt.UTC) if n else None


def verify(code: str, *, keys: dict[str, Ed25519PublicKey] | None = None, now: float | dt.datetime | None = None,
           leeway_seconds: int = 60) -> Checked:
    """Check a code's form, signature (offline, with the given public keys) and validity period."""
    if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH:
        return Checked(False, "malformed")
    parts = code.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        return Checked(False, "malformed")
    try:
        payload = _b64d(parts[1])
        signature = _b64d(parts[2])
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return Checked(False, "malformed")
    if not isinstance(claims, dict) or claims.get("v") != 1 or claims.get("c") not in COLOURS or not isinstance(claims.get("e"), int):
        return Checked(False, "malformed")
    keys = public_keys() if keys is None else keys
    key = keys.get(claims.get("k"))
    if key is None:
        return Checked(False, "unknown_key", claims)
    if not signature_valid(key, signature, payload):
        return Checked(False, "forged", claims)
    if now is None:
        now_s = clock.now().timestamp()
    else:
        now_s = now.timestamp() if isinstance(now, dt.datetime) else float(now)
    if now_s > claims["e"]:
        return Checked(False, "expired", claims)
    if now_s + leeway_seconds < claims.get("i", 0):
        return Checked(False, "not_yet_valid", claims)
    return Checked(True, "", claims)
