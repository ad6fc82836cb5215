"""`cordon bench verify [--people N]`: the health code under load.

1. Offline verification on one core: checks per second of real credentials (issued for a sample of
   the city's residents) with the city's public key, as a checkpoint phone or gate does; baseline in
   the same run: the bare Ed25519 signature check alone (what parsing and rule checks add).
2. The online credential API (GET /api/v1/checkpoints/credential/<token>: one indexed query and a
   signature) under the production server (gunicorn, sync workers), loaded from a second process
   with wrk (Debian package `wrk`; the bench says so and stops if it is missing), beside the bare
   /api/v1/ping endpoint of the same server in the same run.
"""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from nacl.signing import VerifyKey

from cordon.bench.base import OnCityBench, free_port
from cordon.core.figures import print_json, print_table
from cordon.people.models import Person
from cordon.status import credentials


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def parse_wrk(output: str) -> dict:
    """Requests/s, p50/p99 latency (ms), errors from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    lat = {q: _ms(v) for q, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, flags=re.M)}
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout)[: ]\s*(\d+)", output))
    return {"req_per_s": rps, "p50_ms": lat.get("50", 0.0), "p99_ms": lat.get("99", 0.0), "errors": errors}


class VerifyBench(OnCityBench):
    name = "verify"
    help = "offline credential verifications/s on one core; online credential API under gunicorn + wrk vs ping"

    arguments = {
        "seconds": (10.0, "wrk duration per endpoint"),
        "connections": 32,
        "workers": max(2, os.cpu_count() or 2),
        "no-progress": False,
    }

    def measure(self, options: dict, stdout, city: dict) -> dict:
        credentials.signing_key()
        rng = random.Random(7)
        ids = list(Person.objects.values_list("id", flat=True)[:200000])
        sample = rng.sample(ids, min(2000, len(ids)))
        tokens = list(Person.objects.filter(pk__in=sample).values_list("token", flat=True))
        codes = [credentials.credential_issue(token=t)["code"] for t in tokens]

        keys = credentials.public_keys()
        offline_rate, n_checked = self._offline(codes, keys)
        raw = self._raw_signature(codes, keys)
        raw_rate = raw["libsodium"]
        online = self._online(tokens, options, stdout)

        result = {
            "people": Person.objects.count(),
            "offline_verifications_per_s": round(offline_rate, 1),
            "raw_ed25519_verifications_per_s": round(raw_rate, 1),
            "raw_ed25519_cryptography_per_s": round(raw["cryptography"], 1),
            **online,
        }
        print_table(stdout, [
            ("database", f"{connection.vendor} {connection.settings_dict['NAME']}"),
            ("residents", result["people"]),
            ("codes in the sample", len(codes)),
            ("offline verifications (one core)", n_checked),
            ("offline verifications/s", offline_rate),
            ("baseline: bare Ed25519 verify/s (libsodium)", raw_rate),
            ("bare Ed25519 verify/s (cryptography package)", raw["cryptography"]),
            *[(k, v) for k, v in online.items()],
        ], title="cordon bench verify")
        print_json(stdout, result)
        return result

    def _offline(self, codes: list[str], keys) -> tuple[float, int]:
        """Full checks (parse, key, signature, expiry) in one thread for ~3 s."""
        now = time.time()
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < 3.0:
            for code in codes:
                if not credentials.verify(code, keys=keys, now=now).ok:
                    raise RuntimeError(_("a freshly issued code did not verify"))
            n += len(codes)
        return n / (time.perf_counter() - start), n

    def _raw_signature(self, codes: list[str], keys) -> dict:
        """Bare Ed25519 checks per second on one core, through libsodium (what credentials.verify uses, the fastest
        path here) and through the cryptography package: what parsing and rule checks add on top."""
        items = []
        for code in codes:
            _, body, sig = code.split(".")
            payload = credentials._b64d(body)
            key = keys[json.loads(payload)["k"]]
            raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            items.append((key, VerifyKey(raw), credentials._b64d(sig), payload))
        rates = {}
        for name in ("libsodium", "cryptography"):
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < 2.0:
                for key, vk, sig, payload in items:
                    if name == "libsodium":
                        vk.verify(payload, sig)
                    else:
                        key.verify(sig, payload)
                n += len(items)
            rates[name] = n / (time.perf_counter() - start)
        return rates

    def _online(self, tokens: list[str], options: dict, stdout) -> dict:
        wrk = shutil.which("wrk")
        if wrk is None:
            stdout.write("wrk is not installed (Debian: apt-get install -y wrk): online figures skipped\n")
            return {"status_req_per_s": None, "status_p99_ms": None, "ping_req_per_s": None, "wrk": "missing"}
        port = free_port()
        workers = options["workers"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
               "CORDON_DEBUG": "0"}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                                   "--workers", str(workers), "--worker-class", "sync", "--backlog", "2048", "--timeout", "60",
                                   "--log-level", "warning"], env=env, cwd=settings.BASE_DIR,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/api/v1/ping", timeout=2).read()
                    urllib.request.urlopen(f"{base}/api/v1/checkpoints/credential/{tokens[0]}", timeout=5).read()
                    break
                except Exception:
                    if server.poll() is not None or time.time() > deadline:
                        err = server.stderr.read().decode(errors="replace")[-2000:] if server.stderr else ""
                        raise RuntimeError(_("the server did not start: %(err)s") % {"err": err}) from None
                    time.sleep(0.5)
            with tempfile.TemporaryDirectory() as tmp:
                script = Path(tmp) / "tokens.lua"
                script.write_text("local tokens = {" + ",".join(json.dumps(t) for t in tokens[:2000]) + "}\n"
                                  "math.randomseed(7)\n"
                                  "request = function()\n"
                                  "  return wrk.format('GET', '/api/v1/checkpoints/credential/' .. tokens[math.random(#tokens)])\n"
                                  "end\n")
                common = [wrk, "-t", "2", "-c", str(options["connections"]), "--latency", "--timeout", "5s"]
                subprocess.run([*common, "-d", "2s", "-s", str(script), base], capture_output=True, text=True, check=True)  # warm-up
                secs = f"{int(options['seconds'])}s"
                status = parse_wrk(subprocess.run([*common, "-d", secs, "-s", str(script), base],
                                                  capture_output=True, text=True, check=True).stdout)
                subprocess.run([*common, "-d", "2s", f"{base}/api/v1/ping"], capture_output=True, text=True, check=True)
                ping = parse_wrk(subprocess.run([*common, "-d", secs, f"{base}/api/v1/ping"], capture_output=True, text=True,
                                                check=True).stdout)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        return {
            "server": f"gunicorn sync x{workers}",
            "wrk": f"2 threads, {options['connections']} connections, {int(options['seconds'])} s",
            "status_req_per_s": round(status["req_per_s"], 1),
            "status_p50_ms": round(status["p50_ms"], 2),
            "status_p99_ms": round(status["p99_ms"], 2),
            "status_errors": status["errors"],
            "ping_req_per_s": round(ping["req_per_s"], 1),
            "ping_p99_ms": round(ping["p99_ms"], 2),
            "status_to_ping_ratio": round(status["req_per_s"] / ping["req_per_s"], 3) if ping["req_per_s"] else None,
        }


BENCHES = {"verify": VerifyBench()}
