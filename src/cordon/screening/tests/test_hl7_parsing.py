"""Real, published HL7 v2 lab result messages read by cordon.screening.lab (no database).

Sample files in tests/data/hl7/, copied byte for byte from their sources except where a note says otherwise:

- reportstream_example_batch.hl7: CDCgov/prime-reportstream, frontend-react-original/public/assets/hl7/Example-hl7-file.hl7
  (FHS/BHS batch, v2.5.1, BD Veritor antigen test, AOE answers, UUID specimen; segments joined with CR, as sent).
- reportstream_batch_message.hl7: CDCgov/prime-reportstream, prime-router/src/test/hl7_test_files/batch_message.hl7
  (batch of two messages, LF separators, CareStart antigen, AOE answers, UUID specimens in SPM-2 and OBR-3).
- reportstream_flfhospital_v23.hl7: CDCgov/prime-reportstream,
  prime-router/src/test/resources/test_data_files/Hl7_ORU-R01/FLFHospital-SARSCOV2-20200317-0001.hl7 (HL7 v2.3,
  LF, local code LAB_IN with the LOINC in the alternate triplet, free-text NEGATIVE, \\.br\\ escapes, no SPM).
- reportstream_ellume_home_test.hl7: CDCgov/prime-reportstream, .../Hl7_ORU-R01/EHT-20210316-0001.hl7 (Ellume home
  antigen test: MSH-2 with the truncation character, a malformed OBX-3 triplet, SPM broken by a line feed, UUID
  filler specimen id).
- reportstream_pdi_corrected.hl7: CDCgov/prime-reportstream, .../Hl7_ORU-R01/sample-pdi-20210610-0001.hl7 (corrected
  result, OBX-3 a bare LOINC without coding system, value coded as a disorder (840539006), not a test result).
  CDCgov/prime-reportstream is a work of the US Government: public domain in the US, CC0 1.0 worldwide (its
  Public Domain Standard Notice).
- dex_usvi_flu_sc2_multiplex.hl7: CDCgov/hl7v2-processes-rest, hl7v2-validation/src/main/kotlin/gov/cdc/dex/validation/
  service/ValidationController.kt, the "Single ELR message" example (US Virgin Islands public health lab, Horizon
  LIMS, CDC Flu SC2 multiplex panel 95422-2: SARS-CoV-2 not detected, influenza B detected). CDC repository, US
  Government work (public domain notice of the CDCgov template).
- aphl_phlip_ncov_detected_mllp.hl7: APHL PHLIP COVID-19 ELR sample "2019nCoV_PHLIPsample_2.5.1_Detected_revised"
  (Arkansas state public health lab, STARLIMS; RNA panel 94306-8 with N1/N2 results and Ct values, RNase P control),
  as embedded in a public GitHub file (a Python HL7 parser's test message, CRLF separators); licence not stated
  (an APHL-published test message with a fictitious patient). Note: the MLLP framing (0x0B ... 0x1C 0x0D) is
  added here, as a receiver gets the message on the wire.
"""

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from cordon.screening import lab
from cordon.screening.lab import codes, hl7v2

DATA = Path(__file__).parent / "data" / "hl7"
CITY = zoneinfo.ZoneInfo("Asia/Shanghai")


def read(name: str) -> lab.Reading:
    return lab.read((DATA / name).read_bytes(), table=lab.load_codes(), tz=CITY)


def lines(reading: lab.Reading) -> list[dict]:
    return [o.line() for o in reading.observations]


def test_a_batch_file_with_a_uuid_specimen_gives_the_antigen_result_and_sets_the_aoe_answers_aside():
    r = read("reportstream_example_batch.hl7")
    assert lines(r) == [{"message": 1, "message_id": "1234d1d1-95fe-462c-8ac6-46728dba581c",
                         "specimen_id": "1234d1d1-95fe-462c-8ac6-46728dba581c", "loinc": "94558-4", "method": "antigen",
                         "result": "negative", "status": "final"}]
    assert sorted(a["code"] for a in r.set_aside) == ["95417-2", "95418-0", "95419-8", "95421-4"]
    assert {a["kind"] for a in r.set_aside} == {"aoe"} and not r.errors and not r.rejected


def test_a_two_message_batch_with_lf_separators_gives_one_observation_per_message():
    r = read("reportstream_batch_message.hl7")
    assert [(o["message"], o["message_id"], o["specimen_id"], o["result"]) for o in lines(r)] == [
        (1, "371784", "0cba76f5-35e0-4a28-803a-2f31308aae9b", "negative"),
        (2, "612092", "b518ef23-1d9a-40c1-ac4b-ed7b438dfc4b", "negative")]
    # the symptoms question answered N is set aside, never read as the result
    assert r.summary()["set_aside"] == {"aoe": 8}


def test_a_v23_message_with_a_local_code_is_known_by_its_alternate_loinc_and_free_text_value():
    r = read("reportstream_flfhospital_v23.hl7")
    assert lines(r) == [{"message": 1, "message_id": "04903212", "specimen_id": "2107662558", "loinc": "94500-6",
                         "method": "pcr", "result": "negative", "status": "final"}]


def test_a_home_antigen_test_with_a_broken_triplet_and_a_filler_specimen_id_is_read():
    r = read("reportstream_ellume_home_test.hl7")
    assert lines(r) == [{"message": 1, "message_id": "658195889000001-1e837a04-7d87-4498-ac86-1476354ed257",
                         "specimen_id": "1e837a04-7d87-4498-ac86-1476354ed257", "loinc": "94558-4", "method": "antigen",
                         "result": "negative", "status": "final"}]


def test_a_corrected_result_coded_as_a_disease_is_an_error_naming_message_segment_and_value():
    r = read("reportstream_pdi_corrected.hl7")
    assert lines(r) == [{"message": 1, "message_id": "885617", "specimen_id": "885617", "loinc": "94558-4",
                         "method": "antigen", "result": "unrecognised", "status": "corrected"}]
    (e,) = r.errors
    assert (e["message"], e["segment"], e["field"]) == (1, "OBX[1]", "OBX-5") and e["value"].startswith("840539006^")
    assert lab.tube_items(r, lab.load_codes()) == []  # an unrecognised value is never guessed into a tube result


def test_a_multiplex_panel_keeps_influenza_aside_so_a_flu_positive_never_makes_the_tube_positive():
    r = read("dex_usvi_flu_sc2_multiplex.hl7")
    assert lines(r) == [{"message": 1, "message_id": "6479", "specimen_id": "17981001", "loinc": "94533-7",
                         "method": "pcr", "result": "negative", "status": "final"}]
    assert sorted((a["code"], a["kind"]) for a in r.set_aside) == [("92141-1", "other"), ("92142-9", "other")]
    assert r.panels == {"95422-2": 1}
    (item,) = lab.tube_items(r, lab.load_codes())
    assert (item["tube"], item["result"]) == ("17981001", "negative")


def test_an_mllp_framed_crlf_panel_gives_ct_values_only_from_numeric_ct_codes():
    r = read("aphl_phlip_ncov_detected_mllp.hl7")
    assert lines(r) == [
        {"message": 1, "message_id": "1312-2", "specimen_id": "1905700000256-12", "loinc": "94307-6", "method": "pcr",
         "result": "positive", "status": "final", "ct": 24.0},
        {"message": 1, "message_id": "1312-2", "specimen_id": "1905700000256-12", "loinc": "94308-4", "method": "pcr",
         "result": "positive", "status": "final", "ct": 20.0},
        {"message": 1, "message_id": "1312-2", "specimen_id": "1905700000256-12", "loinc": "94309-2", "method": "pcr",
         "result": "positive", "status": "final"}]
    # the RNase P control's Ct (23) is not a SARS-CoV-2 Ct
    assert sorted(a["code"] for a in r.set_aside) == ["68993-5", "86316-7"]
    (item,) = lab.tube_items(r, lab.load_codes())
    assert (item["result"], item["ct_n"], item["ct_orf1ab"]) == ("positive", 24.0, None)


MSH = "MSH|^~\\&|LIS|CITYLAB|CORDON|CITY|20260101120000||ORU^R01^ORU_R01|{id}|P|2.5.1"


def message(*segments: str, mid: str = "M1") -> str:
    return "\r".join([MSH.format(id=mid), *segments])


@pytest.mark.parametrize(("value", "expected"), [
    ("CWE|94500-6^SARS-CoV-2 RNA^LN||260373001^Detected^SCT", "positive"),
    ("CWE|94500-6^SARS-CoV-2 RNA^LN||10828004^Positive^SCT", "positive"),
    ("CWE|94500-6^SARS-CoV-2 RNA^LN||720735008^Presumptive positive^SCT", "presumptive_positive"),
    ("CWE|94500-6^SARS-CoV-2 RNA^LN||462371000124108^Detected in pooled specimen^SCT", "pooled_positive"),
    ("CWE|94500-6^SARS-CoV-2 RNA^LN||455371000124106^Invalid result^SCT", "invalid"),
    ("CWE|94500-6^SARS-CoV-2 RNA^LN||419984006^Inconclusive^SCT", "inconclusive"),
    ("CWE|94500-6^SARS-CoV-2 RNA^LN||125154007^Specimen unsatisfactory for evaluation^SCT", "unsatisfactory"),
    ("CWE|94500-6^SARS-CoV-2 RNA^LN||260385009^Negative^SCT", "negative"),
    ("ST|94500-6^SARS-CoV-2 RNA^LN||阴性", "negative"),
    ("ST|94500-6^SARS-CoV-2 RNA^LN||阳性", "positive"),
    ("ST|94500-6^SARS-CoV-2 RNA^LN||DETECTED", "positive"),
    ("ST|94500-6^SARS-CoV-2 RNA^LN||maybe", "unrecognised"),
    ("NM|94500-6^SARS-CoV-2 RNA^LN||31.5", "unrecognised"),
])
def test_coded_and_free_text_values_map_to_cordons_result_values(value, expected):
    r = lab.read(message("OBR|1||TUBE000001|94531-1^SARS-CoV-2 RNA panel^LN", f"OBX|1|{value}||||||F"),
                 table=lab.load_codes(), tz=CITY)
    assert [o.result for o in r.observations] == [expected]
    assert bool(r.errors) == (expected == "unrecognised")


def test_a_ct_in_text_or_under_a_local_code_is_not_a_ct_value():
    r = lab.read(message("OBR|1||TUBE000001|94531-1^SARS-CoV-2 RNA panel^LN",
                         "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260373001^Detected^SCT||||||F",
                         "OBX|2|NM|CTN^N gene Ct value^L||29.1||||||F",
                         "OBX|3|ST|94510-5^SARS-CoV-2 N gene Ct^LN||29.1||||||F"), table=lab.load_codes(), tz=CITY)
    assert r.cts == {} and [e["segment"] for e in r.errors] == ["OBX[3]"]
    assert {a["segment"]: a["kind"] for a in r.set_aside} == {"OBX[2]": "unknown"}


def test_status_preliminary_and_corrected_are_read_and_a_preliminary_result_waits_for_the_final():
    r = lab.read(message("OBR|1||TUBE000001|94500-6^SARS-CoV-2 RNA^LN",
                         "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260373001^Detected^SCT||||||P",
                         "OBR|2||TUBE000002|94500-6^SARS-CoV-2 RNA^LN",
                         "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260415000^Not detected^SCT||||||C"), table=lab.load_codes(), tz=CITY)
    assert [(o.specimen_id, o.status) for o in r.observations] == [("TUBE000001", "preliminary"), ("TUBE000002", "corrected")]
    assert [(i["tube"], i["status"]) for i in lab.tube_items(r, lab.load_codes())] == [("TUBE000002", "corrected")]


def test_repeated_coding_and_a_configured_local_code_identify_the_observation(tmp_path):
    extra = tmp_path / "codes.json"
    extra.write_text('{"local": [{"system": "99CITY", "code": "XG-RNA", "loinc": "94309-2"}]}', encoding="utf-8")
    table = codes.load(str(extra))
    r = lab.read(message("OBR|1||TUBE000001",
                         "OBX|1|ST|XX^unknown^L~94500-6^SARS-CoV-2 RNA^LN||NEGATIVE||||||F",
                         "OBX|2|ST|XG-RNA^新冠核酸^99CITY||阴性||||||F"), table=table, tz=CITY)
    assert [(o.loinc, o.result) for o in r.observations] == [("94500-6", "negative"), ("94309-2", "negative")]
    assert read("reportstream_flfhospital_v23.hl7").observations[0].loinc == "94500-6"


def test_a_message_that_is_not_oru_r01_is_rejected_and_stray_segments_are_kept_apart():
    r = lab.read("PID|1||x\r" + "MSH|^~\\&|A|B|||2026||ADT^A01|9|P|2.5\rPID|1", table=lab.load_codes(), tz=CITY)
    assert r.rejected == {1: "is ADT^A01, expected ORU^R01"} and r.stray == ["PID|1||x"]


def test_an_ack_names_the_message_and_its_errors():
    (raw,), _stray = hl7v2.split(message("OBR|1||T1", mid="CTRL-9"))
    text = hl7v2.ack(raw, "AE", "bad value", now=dt.datetime(2026, 1, 1), errors=["OBX[1]: 'x' is not a result"])
    segments = text.split("\r")
    assert segments[0].startswith("MSH|^~\\&|CORDON|CORDON|") and "|ACK" in segments[0]
    assert segments[1] == "MSA|AE|CTRL-9|bad value" and segments[2].startswith("ERR|")


def test_the_codes_table_is_valid_and_every_loinc_code_passes_its_check_digit():
    table = lab.load_codes()
    assert codes.validate({"loinc": table.loinc, "local": [], "coded_results": table.coded, "text_results": table.text}) == []
    assert codes.loinc_check_ok("94500-6") and not codes.loinc_check_ok("94500-7")
    for code in ("94500-6", "94309-2", "94534-5", "94559-2", "94533-7", "94565-9", "94756-4", "94757-2", "94845-5",
                 "95406-5", "95409-9", "94640-0", "94558-4", "95209-3", "97097-0"):
        assert table.loinc[code]["kind"] == "result", code
    for code in ("94745-7", "94746-5", "94511-3", "94510-5"):
        assert table.loinc[code]["kind"] == "ct", code
    for code in ("95419-8", "95417-2", "95421-4", "65222-2", "11368-8", "77974-4", "82810-3", "95418-0"):
        assert table.loinc[code]["kind"] == "aoe", code
    assert table.loinc["94531-1"]["kind"] == table.loinc["95941-1"]["kind"] == "panel"
