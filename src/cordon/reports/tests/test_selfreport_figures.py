"""The command's daily report counts the self-reporters and non-reporters of its day (selfreport's figures)."""

import datetime as dt
import io

import pytest
from docx import Document

from cordon.core import clock
from cordon.people.factories import PersonFactory
from cordon.reports import metrics, report_docx, services
from cordon.selfreport import services as selfreport_services
from cordon.selfreport.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_the_daily_report_counts_reporters_non_reporters_and_fever_of_its_day(city, cast):
    day = clock.today() - dt.timedelta(days=1)
    people = [EnrolmentFactory(person=PersonFactory(grid=g)) for g in (city.a_grid, city.a_grid, city.a_grid2, city.b_grid)]
    for e, temperature in ((people[0], "36.5"), (people[1], "38.2")):
        selfreport_services.report_submit(token=selfreport_services.link_token(e), temperature=temperature,
                                          now=clock.at(day, dt.time(9)))
    selfreport_services.report_submit(token=selfreport_services.link_token(people[2]), temperature="36.6")  # today: not in the report
    cut_off = clock.day_start(day + dt.timedelta(days=1))
    a = metrics.figures(region_path=city.a.path, cut_off=cut_off)
    assert (a["selfreport_enrolled"], a["selfreport_reported"], a["selfreport_missing"], a["selfreport_fever"]) == (3, 2, 1, 1)
    assert metrics.figures(region_path=city.city.path, cut_off=cut_off)["selfreport_missing"] == 2
    report = services.report_generate(actor=cast.commander, report_date=day)
    text = "\n".join(p.text for p in Document(io.BytesIO(report_docx.render(report))).paragraphs)
    assert "居家人员已自报人数2" in text and "居家人员未自报人数2" in text
