import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve cordon with the production server (gunicorn), the background task worker and the job scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("CORDON_WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args, **opts):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings")}
        procs = []
        if not opts["no_worker"]:
            procs.append(subprocess.Popen([sys.executable, "-m", "django", "db_worker", "--interval", "1"], env=env,
                                          cwd=settings.BASE_DIR))
            procs.append(subprocess.Popen([sys.executable, "-m", "django", "scheduler"], env=env, cwd=settings.BASE_DIR))
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
                                f"{opts['host']}:{opts['port']}", "--workers", str(opts["workers"]), "--threads",
                                str(opts["threads"]), "--access-logfile", "-", "--timeout", "120"], env=env, cwd=settings.BASE_DIR)
        procs.append(web)
        self.stdout.write(f"cordon is serving at http://{opts['host']}:{opts['port']}/  (Ctrl-C to stop)")
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
