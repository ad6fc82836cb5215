"""Importing real lab result files (tests/data/hl7, sources and licences in test_hl7_parsing.py) into tubes, with
corrections and history, the API's ACKs, the `cordon results parse` command, and city time around midnight."""

import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from cordon.core.errors import ServiceError
from cordon.people.factories import PersonFactory
from cordon.screening import services
from cordon.screening.enums import RetestStatus, SampleResult, TubeStatus
from cordon.screening.factories import make_round, make_site
from cordon.screening.models import LabResult, Retest, Sample, Tube
from cordon.status.models import StatusReason

DATA = Path(__file__).parent / "data" / "hl7"
CITY = ZoneInfo("Asia/Shanghai")


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def tubes_for(city, actor, codes: list[str], *, when: dt.datetime, n: int = 2):
    """A round at `when` with n residents of district A sampled into each tube code."""
    with time_machine.travel(when, tick=False):
        rnd = make_round(region=city.a)
        site = make_site(rnd=rnd, community=city.a_community, grids=[city.a_grid])
        for code in codes:
            people = [PersonFactory(grid=city.a_grid) for _ in range(n)]
            services.samples_register(actor=actor, round_id=rnd.pk,
                                      items=[{"person": p.id_number, "tube": code, "site": site.pk} for p in people])
    return rnd, site


def test_a_real_batch_with_uuid_specimens_marks_both_tubes_negative_and_keeps_the_results(city, cast):
    codes = ["0cba76f5-35e0-4a28-803a-2f31308aae9b", "b518ef23-1d9a-40c1-ac4b-ed7b438dfc4b"]
    tubes_for(city, cast.officer_a, codes, when=dt.datetime(2021, 2, 8, 9, 0, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2021, 2, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        out = services.results_import_hl7(actor=cast.commander, message=data("reportstream_batch_message.hl7"))
    assert (out["tubes"], out["negative"], out["accepted"]) == (2, 2, 2)
    assert [m["ack_code"] for m in out["messages"]] == ["AA", "AA"]
    tubes = Tube.objects.filter(code__in=[c.upper() for c in codes])
    assert {(t.status, t.result, t.lab) for t in tubes} == {(TubeStatus.TESTED, "negative", "Avante at Ormond Beach")}
    assert set(LabResult.objects.values_list("loinc", "method", "value", "status", "message_id")) == {
        ("94558-4", "antigen", "negative", "final", "371784"), ("94558-4", "antigen", "negative", "final", "612092")}


def test_a_multiplex_panel_with_influenza_b_detected_leaves_the_tube_negative(city, cast):
    tubes_for(city, cast.officer_a, ["17981001"], when=dt.datetime(2022, 11, 15, 9, 0, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2022, 12, 5, 20, 0, tzinfo=dt.UTC), tick=False):
        out = services.results_import_hl7(actor=cast.commander, message=data("dex_usvi_flu_sc2_multiplex.hl7"))
    t = Tube.objects.get(code="17981001")
    assert (out["negative"], out["positive"], out["held"], t.result) == (1, 0, 0, "negative")
    assert not Retest.objects.filter(pool_tube=t).exists()


def test_an_mllp_framed_positive_panel_holds_the_pool_with_its_n_gene_ct(city, cast):
    tubes_for(city, cast.officer_a, ["1905700000256-12"], when=dt.datetime(2019, 2, 28, 12, 0, tzinfo=dt.UTC), n=3)
    with time_machine.travel(dt.datetime(2019, 4, 22, 19, 0, tzinfo=dt.UTC), tick=False):
        out = services.results_import_hl7(actor=cast.commander, message=data("aphl_phlip_ncov_detected_mllp.hl7"))
    t = Tube.objects.get(code="1905700000256-12")
    assert (out["positive"], out["held"], t.result, t.ct_n, t.ct_orf1ab, t.lab) == (1, 3, "positive", 24.0, None,
                                                                                    "AR.LittleRock.SPHL")
    assert set(Sample.objects.filter(tube=t).values_list("result", flat=True)) == {SampleResult.HELD}


def _corrected(text: bytes, *, old: bytes, new: bytes) -> bytes:
    """A real message turned into its correction: OBX-11 F -> C and the value replaced (noted where used)."""
    assert old in text
    return text.replace(old, new)


def test_a_corrected_result_replaces_the_earlier_one_and_the_history_is_kept(city, cast):
    tubes_for(city, cast.officer_a, ["2107662558"], when=dt.datetime(2021, 3, 17, 3, 0, tzinfo=dt.UTC))
    final = data("reportstream_flfhospital_v23.hl7")
    # derived from the real FLF message: the lab corrects NEGATIVE to POSITIVE (OBX-5 and OBX-11 changed)
    correction = _corrected(final, old=b"||NEGATIVE||NEGATIVE|N|||F|", new=b"||POSITIVE||NEGATIVE|A|||C|")
    with time_machine.travel(dt.datetime(2021, 3, 17, 5, 0, tzinfo=dt.UTC), tick=False):
        services.results_import_hl7(actor=cast.commander, message=final)
        again = services.results_import_hl7(actor=cast.commander, message=final)  # the same final twice changes nothing
        assert again["tubes"] == 0 and again["messages"][0]["ack_code"] == "AA"
        out = services.results_import_hl7(actor=cast.commander, message=correction)
    t = Tube.objects.get(code="2107662558")
    assert (out["corrected"], out["positive"], out["held"], t.result) == (1, 1, 2, "positive")
    history = list(LabResult.objects.filter(tube=t).order_by("id").values_list("result", "status", "current"))
    assert history == [("negative", "final", False), ("positive", "corrected", True)]


def test_a_positive_pool_corrected_to_negative_releases_its_held_members(city, cast):
    tubes_for(city, cast.officer_a, ["1905700000256-12"], when=dt.datetime(2019, 2, 28, 12, 0, tzinfo=dt.UTC))
    final = data("aphl_phlip_ncov_detected_mllp.hl7")
    # derived from the APHL message: every SARS-CoV-2 result corrected to not detected
    correction = final.replace(b"|260373001^Detected^SCT||||||F|", b"|260415000^Not detected^SCT||||||C|")
    with time_machine.travel(dt.datetime(2019, 4, 22, 19, 0, tzinfo=dt.UTC), tick=False):
        services.results_import_hl7(actor=cast.commander, message=final)
        t = Tube.objects.get(code="1905700000256-12")
        people = list(Sample.objects.filter(tube=t).values_list("person_id", flat=True))
        assert StatusReason.objects.filter(person_id__in=people, reason=services.HELD_REASON, active=True).count() == 2
        out = services.results_import_hl7(actor=cast.commander, message=correction)
    t.refresh_from_db()
    assert (out["corrected"], out["negative"], t.result, t.resolution) == (1, 1, "negative", "negative")
    assert set(Retest.objects.filter(pool_tube=t).values_list("status", flat=True)) == {RetestStatus.NEGATIVE}
    assert set(Sample.objects.filter(tube=t).values_list("result", flat=True)) == {SampleResult.NEGATIVE}
    assert not StatusReason.objects.filter(person_id__in=people, reason=services.HELD_REASON, active=True).exists()


def test_a_different_final_result_without_a_correction_is_refused(city, cast):
    tubes_for(city, cast.officer_a, ["2107662558"], when=dt.datetime(2021, 3, 17, 3, 0, tzinfo=dt.UTC))
    final = data("reportstream_flfhospital_v23.hl7")
    other = final.replace(b"||NEGATIVE||NEGATIVE|N|||F|", b"||POSITIVE||NEGATIVE|A|||F|")
    with time_machine.travel(dt.datetime(2021, 3, 17, 5, 0, tzinfo=dt.UTC), tick=False):
        services.results_import_hl7(actor=cast.commander, message=final)
        with pytest.raises(ServiceError) as err:
            services.results_import_hl7(actor=cast.commander, message=other)
    assert "结果不同须以更正（corrected）提交" in err.value.fields[0]["message"]
    assert Tube.objects.get(code="2107662558").result == "negative"


def test_the_api_answers_each_message_with_an_ack_and_applies_only_the_accepted_ones(city, cast, api_client):
    tubes_for(city, cast.officer_a, ["17981001", "885617"], when=dt.datetime(2021, 5, 1, 9, 0, tzinfo=dt.UTC))
    body = data("dex_usvi_flu_sc2_multiplex.hl7") + data("reportstream_pdi_corrected.hl7")
    with time_machine.travel(dt.datetime(2022, 12, 5, 20, 0, tzinfo=dt.UTC), tick=False):
        resp = api_client(cast.officer_a).post("/api/v1/screening/results/hl7", data=body,
                                               content_type="x-application/hl7-v2+er7")
        assert resp.status_code == 200, resp.content
        out = resp.json()
        assert [(m["message"], m["message_id"], m["ack_code"]) for m in out["messages"]] == [(1, "6479", "AA"),
                                                                                              (2, "885617", "AE")]
        assert out["messages"][0]["ack"].split("\r")[1] == "MSA|AA|6479"
        assert "OBX[1]" in out["messages"][1]["errors"][0] and "840539006" in out["messages"][1]["errors"][0]
        assert (out["negative"], out["accepted"], out["refused"]) == (1, 1, 1)
        assert Tube.objects.get(code="885617").status != TubeStatus.TESTED
        refused = api_client(cast.officer_a).post("/api/v1/screening/results/hl7", data=data("reportstream_pdi_corrected.hl7"),
                                                  content_type="text/plain")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"][0]["row"] == 1 and "OBX[1]" in refused.json()["error"]["fields"][0]["message"]


def test_the_web_page_imports_an_uploaded_hl7_file(city, cast, api_client):
    tubes_for(city, cast.officer_a, ["17981001"], when=dt.datetime(2022, 11, 15, 9, 0, tzinfo=dt.UTC))
    upload = io.BytesIO(data("dex_usvi_flu_sc2_multiplex.hl7"))
    upload.name = "usvi.hl7"
    with time_machine.travel(dt.datetime(2022, 12, 5, 20, 0, tzinfo=dt.UTC), tick=False):
        resp = api_client(cast.officer_a).post("/screening/results/", {"what": "hl7", "file": upload}, follow=True)
    assert resp.status_code == 200
    assert Tube.objects.get(code="17981001").result == "negative"


def test_results_parse_prints_one_line_per_observation_then_a_summary():
    out = io.StringIO()
    call_command("results", "parse", str(DATA / "reportstream_batch_message.hl7"), str(DATA / "reportstream_pdi_corrected.hl7"),
                 stdout=out, stderr=io.StringIO())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [set(r) for r in rows if "summary" not in r] == [
        {"message", "message_id", "specimen_id", "loinc", "method", "result", "status"}] * 3
    summaries = [r for r in rows if "summary" in r]
    assert [s["observations"] for s in summaries] == [2, 1]
    assert summaries[1]["problems"][0]["segment"] == "OBX[1]" and summaries[1]["problems"][0]["value"].startswith("840539006")


def test_a_result_sent_just_after_midnight_in_city_time_is_read_in_city_time(city, cast):
    when = dt.datetime(2027, 1, 1, 0, 10, tzinfo=CITY)
    tubes_for(city, cast.officer_a, ["CITY00000001"], when=when)
    msg = ("MSH|^~\\&|LIS|CITYLAB|CORDON|CITY|20270101002500||ORU^R01^ORU_R01|N1|P|2.5.1\r"
           "OBR|1||CITY00000001|94500-6^SARS-CoV-2 RNA^LN|||20270101001000|||||||||||||||20270101002000|||F\r"
           "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260415000^Not detected^SCT||||||F|||20270101001000||||20270101002000\r")
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=CITY), tick=False):
        out = services.results_import_hl7(actor=cast.commander, message=msg)
    t = Tube.objects.get(code="CITY00000001")
    assert out["negative"] == 1 and t.tested_at == dt.datetime(2027, 1, 1, 0, 20, tzinfo=CITY)


def test_a_tube_page_and_the_api_show_every_result_the_lab_sent_with_the_one_a_correction_replaced(city, cast, api_client):
    tubes_for(city, cast.officer_a, ["2107662558"], when=dt.datetime(2021, 3, 17, 3, 0, tzinfo=dt.UTC))
    final = data("reportstream_flfhospital_v23.hl7")
    correction = _corrected(final, old=b"||NEGATIVE||NEGATIVE|N|||F|", new=b"||POSITIVE||NEGATIVE|A|||C|")
    with time_machine.travel(dt.datetime(2021, 3, 17, 5, 0, tzinfo=dt.UTC), tick=False):
        services.results_import_hl7(actor=cast.commander, message=final)
        services.results_import_hl7(actor=cast.commander, message=correction)
    client = api_client(cast.officer_a)
    out = client.get("/api/v1/screening/tubes/2107662558/results").json()
    assert out["tube"]["result"] == "positive"
    assert [(r["result"], r["status"], r["current"]) for r in out["results"]] == [("negative", "final", False),
                                                                                  ("positive", "corrected", True)]
    page = client.get("/screening/tubes/2107662558/")
    assert page.status_code == 200 and len(page.context["results"]) == 2
    assert api_client(cast.officer_b).get("/api/v1/screening/tubes/2107662558/results").status_code == 404


def test_the_web_page_lists_the_messages_it_refused_while_importing_the_others(city, cast, api_client):
    tubes_for(city, cast.officer_a, ["17981001", "885617"], when=dt.datetime(2021, 5, 1, 9, 0, tzinfo=dt.UTC))
    upload = io.BytesIO(data("dex_usvi_flu_sc2_multiplex.hl7") + data("reportstream_pdi_corrected.hl7"))
    upload.name = "two.hl7"
    with time_machine.travel(dt.datetime(2022, 12, 5, 20, 0, tzinfo=dt.UTC), tick=False):
        page = api_client(cast.officer_a).post("/screening/results/", {"what": "hl7", "file": upload})
    assert page.status_code == 200 and page.context["report"]["refused"] == 1
    body = page.content.decode()
    assert 'id="refused-messages"' in body and "885617" in body and "840539006" in body
    assert Tube.objects.get(code="17981001").result == "negative"
