"""`cordon bench pages --people N`: p95 server time of the command dashboard and every main list page
(url names from the navigation, cordon.web.context.NAV), logged in as the city commander through the
Django test client against the bench database. The dashboard's snapshot is taken first (its time is
reported separately: it is the background job, not a request). Each page also reports its CPU p95 (this
process's time: on SQLite the database works in it too, so it is the page's cost whatever else shares the cores)
and its queries per request (on PostgreSQL each is a round trip)."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from cordon.accounts.models import Post
from cordon.bench.base import OnCityBench, Timer, percentile
from cordon.core.figures import print_json, print_table
from cordon.regions.models import Region
from cordon.reports import services
from cordon.web.context import NAV


class PagesBench(OnCityBench):
    name = "pages"
    help = "p95 server time of the dashboard and each main list page"

    arguments = {
        "requests": (20, "timed requests per page (after one warm-up)"),
    }

    def measure(self, options: dict, stdout, city: dict) -> dict:
        people = options["people"]
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("testserver")
        User = get_user_model()
        user = User.objects.filter(username="bench-commander").first() or User.objects.create_user(
            username="bench-commander", password="bench-password-1", is_staff=True)
        root = Region.objects.get(parent__isnull=True)
        Post.objects.get_or_create(user=user, role="city_commander", region=root)
        with Timer() as snap:
            services.snapshot_take()
        client = Client()
        client.force_login(user)
        # web:home is the dashboard (every app's tiles); the cheapest list pages of the same run (reports:reports,
        # sim:index: session, user, posts, navigation and the base template) are the floor every page pays.
        pages = [("web:home", reverse("web:home")), ("reports:index", reverse("reports:index")),
                 ("bulletins:portal", reverse("bulletins:portal"))]
        for _title, items in NAV:
            for _label, name, _perm in items:
                try:
                    url = reverse(name)
                except NoReverseMatch:
                    continue
                if (name, url) not in pages:
                    pages.append((name, url))
        rows, result = [], {"people": people, "generated": city.get("generated", False), "snapshot_job_s": round(snap.seconds, 2)}
        for name, url in pages:
            queries = []  # counted by a wrapper: the test client's request_started signal empties connection.queries

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            client.get(url)  # warm-up
            with connection.execute_wrapper(count):
                status = client.get(url).status_code
            times, cpu = [], []
            for _ in range(options["requests"]):
                start, start_cpu = time.perf_counter(), time.process_time()
                status = client.get(url).status_code
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            key = name.replace(":", "_")
            result[key + "_p95_ms"] = round(percentile(times, 95), 1)
            result[key + "_cpu_p95_ms"] = round(percentile(cpu, 95), 1)
            result[key + "_queries"] = len(queries)
            rows.append((f"{name} ({status})", f"p50 {percentile(times, 50):.1f} ms  p95 {result[key + '_p95_ms']:.1f} ms  "
                                               f"cpu p95 {result[key + '_cpu_p95_ms']:.1f} ms  {len(queries)} queries"))
        print_table(stdout, [("people", people), ("snapshot job (s)", result["snapshot_job_s"]), *rows], title="pages")
        print_json(stdout, result)
        return result


BENCHES = {"pages": PagesBench()}
