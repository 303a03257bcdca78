"""The survey CSV: all-or-nothing import, every kind of bad row named, and the round trip."""

import csv
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import translation

from promises.models import Membership
from situation import survey_csv
from situation.models import SafetySurvey, SurveyResult
from tests.factories import (
    make_indicator,
    make_membership,
    make_municipality,
    make_police_area,
    make_safety_survey,
    make_survey_result,
)

HEADER = "area,year,indicator,group,value\n"


def _counts():
    return SafetySurvey.objects.count(), SurveyResult.objects.count()


class SurveyImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(municipality_code="9501")
        cls.police = make_police_area(slug="lpo-test-import")
        cls.good_rows = (
            "9501,2022,oro-brott,all,31\n"
            '9501,2023,oro-brott,all,"24,5"\n'
            "9501,2023,otrygg-kvall,women-16-29,41.0\n"
            "lpo-test-import,2023,oro-brott,all,28.5\n"
        )

    def setUp(self):
        translation.activate("en")

    def tearDown(self):
        translation.deactivate()

    def test_imports_good_file_and_creates_unpublished_surveys(self):
        summary = survey_csv.import_text(HEADER + self.good_rows)
        assert summary.surveys_created == 3
        assert summary.results_created == 4
        survey = SafetySurvey.objects.get(area=self.municipality, year=2023)
        assert survey.is_published is False
        assert survey.results.get(indicator__code="oro-brott").value == Decimal("24.5")
        assert SafetySurvey.objects.get(area=self.police).results.count() == 1

    def test_reimport_replaces_values_and_keeps_surveys(self):
        survey_csv.import_text(HEADER + self.good_rows)
        summary = survey_csv.import_text(HEADER + "9501,2022,oro-brott,all,30\n")
        assert (summary.surveys_created, summary.results_updated) == (0, 1)
        assert SurveyResult.objects.get(survey__year=2022).value == Decimal("30")

    def assert_rejected(self, bad_row, column, message):
        """One bad row among good ones: the file is rejected, naming row and column."""
        before = _counts()
        with pytest.raises(survey_csv.SurveyCSVError) as error:
            survey_csv.import_text(HEADER + self.good_rows + bad_row)
        assert _counts() == before, "nothing may be written"
        assert len(error.value.errors) >= 1
        bad = error.value.errors[-1]
        assert (bad.row, bad.column) == (6, column)
        assert message in str(bad)
        assert str(bad).startswith(f"Row 6, column “{column}”")

    def test_rejects_unknown_indicator(self):
        self.assert_rejected("9501,2023,no-such,all,5\n", "indicator", "Unknown indicator")

    def test_rejects_unknown_area(self):
        self.assert_rejected("0000,2023,oro-brott,all,5\n", "area", "“0000”")

    def test_rejects_bad_number(self):
        self.assert_rejected("9501,2021,oro-brott,all,tjugo\n", "value", "is not a number")

    def test_rejects_value_out_of_range(self):
        self.assert_rejected("9501,2021,oro-brott,all,100.5\n", "value", "outside the range")
        self.assert_rejected("9501,2021,oro-brott,all,-3\n", "value", "outside the range")

    def test_rejects_too_many_decimals(self):
        self.assert_rejected("9501,2021,oro-brott,all,12.25\n", "value", "more than one decimal")
        self.assert_rejected('9501,2021,oro-brott,all,"24,55"\n', "value", "more than one decimal")

    def test_accepts_trailing_zero_decimals_as_spreadsheets_export_them(self):
        rows = '9501,2021,oro-brott,all,"24,50"\n9501,2021,oro-brott,women,40.00\n'
        survey_csv.import_text(HEADER + self.good_rows + rows)
        results = SurveyResult.objects.filter(survey__year=2021)
        assert dict(results.values_list("group", "value")) == {
            "all": Decimal("24.5"),
            "women": Decimal("40"),
        }
        parsed = survey_csv.parse(HEADER + rows)
        assert [str(row.value) for row in parsed] == ["24.5", "40.0"]

    def test_rejects_duplicate_row(self):
        self.assert_rejected("9501,2022,oro-brott,all,29\n", "group", "Duplicate of row 2")

    def test_rejects_bad_year(self):
        self.assert_rejected("9501,20x3,oro-brott,all,5\n", "year", "is not a year")
        self.assert_rejected("9501,1850,oro-brott,all,5\n", "year", "is not a year")
        # A digit to Python that is no number to int(): still a clear error, not a crash.
        self.assert_rejected("9501,²,oro-brott,all,5\n", "year", "is not a year")

    def test_rejects_unknown_group(self):
        self.assert_rejected("9501,2021,oro-brott,kids,5\n", "group", "Unknown group")

    def test_rejects_row_with_wrong_column_count(self):
        self.assert_rejected("9501,2021,oro-brott,all\n", "", "exactly 5 columns")

    def test_names_every_bad_row(self):
        text = HEADER + "0000,2023,oro-brott,all,5\n9501,2023,x,all,5\n9501,2023,oro-brott,all,y\n"
        with pytest.raises(survey_csv.SurveyCSVError) as error:
            survey_csv.import_text(text)
        assert [(e.row, e.column) for e in error.value.errors] == [
            (2, "area"),
            (3, "indicator"),
            (4, "value"),
        ]

    def test_rejects_bad_header_and_empty_file(self):
        for text in ["area;year;indicator;group;value\n9501;2023;oro-brott;all;5\n", "", HEADER]:
            with pytest.raises(survey_csv.SurveyCSVError):
                survey_csv.import_text(text)
        assert _counts() == (0, 0)

    def test_rejects_non_utf8(self):
        with pytest.raises(survey_csv.SurveyCSVError, match="not UTF-8"):
            survey_csv.decode("area,år\n".encode("utf-16"))

    def test_accepts_every_line_ending(self):
        text = HEADER + self.good_rows
        for ending in ("\r", "\r\n"):  # Excel for Mac's "CSV (Macintosh)", and Windows
            with self.subTest(ending=ending):
                summary = survey_csv.import_text(text.replace("\n", ending))
                assert summary.results_created + summary.results_unchanged == 4

    def test_rejects_nul_byte_in_a_cell(self):
        self.assert_rejected("9501,2023,oro-\x00brott,all,5\n", "", "NUL")

    def test_rejects_field_over_the_size_limit(self):
        before = _counts()
        huge = "x" * (csv.field_size_limit() + 1)
        with pytest.raises(survey_csv.SurveyCSVError) as error:
            survey_csv.import_text(HEADER + self.good_rows + f'9501,2023,"{huge}",all,5\n')
        assert _counts() == before
        assert str(error.value.errors[-1]).startswith("Row 6")

    def test_user_may_import_only_for_own_parties(self):
        user = make_membership(party=self.municipality).user
        survey_csv.import_text(HEADER + "9501,2023,oro-brott,all,5\n", user=user)
        with pytest.raises(survey_csv.SurveyCSVError, match="that you may import for"):
            survey_csv.import_text(HEADER + "lpo-test-import,2023,oro-brott,all,5\n", user=user)

    def test_viewers_and_police_import_nothing(self):
        for role in (Membership.Role.VIEWER, Membership.Role.POLICE):
            user = make_membership(party=self.municipality, role=role).user
            with pytest.raises(survey_csv.SurveyCSVError, match="that you may import for"):
                survey_csv.import_text(HEADER + "9501,2023,oro-brott,all,5\n", user=user)
        assert _counts() == (0, 0)


class RoundTripTests(TestCase):
    def test_export_then_import_gives_the_same_rows(self):
        municipality = make_municipality(municipality_code="9502")
        police = make_police_area()
        indicator = make_indicator()
        for year, value in [(2021, "31"), (2022, "27.5"), (2024, "24")]:
            survey = make_safety_survey(area=municipality, year=year)
            make_survey_result(survey, indicator, value=Decimal(value))
            make_survey_result(survey, indicator, group="women-16-29", value=Decimal(value) + 10)
        make_survey_result(make_safety_survey(area=police, year=2023), indicator, value=50)

        first = StringIO()
        survey_csv.write(SurveyResult.objects.all(), first)
        rows = {
            (r.survey.area_id, r.survey.year, r.indicator_id, r.group): r.value
            for r in SurveyResult.objects.select_related("survey")
        }
        SurveyResult.objects.all().delete()
        SafetySurvey.objects.all().delete()

        summary = survey_csv.import_text(first.getvalue())
        assert summary.results_created == len(rows) == 7
        assert {
            (r.survey.area_id, r.survey.year, r.indicator_id, r.group): r.value
            for r in SurveyResult.objects.select_related("survey")
        } == rows
        second = StringIO()
        survey_csv.write(SurveyResult.objects.all(), second)
        assert second.getvalue() == first.getvalue()


class CommandTests(TestCase):
    def test_import_and_export_commands(self):
        make_municipality(municipality_code="9503")
        source = self._write(HEADER + "9503,2023,oro-brott,all,24.5\n")
        out = StringIO()
        call_command("import_survey", source, stdout=out)
        assert "1 new values" in out.getvalue()
        exported = StringIO()
        call_command("export_survey", area=["9503"], stdout=exported)
        assert exported.getvalue() == HEADER + "9503,2023,oro-brott,all,24.5\n"

    def test_import_command_rejects_bad_file_and_writes_nothing(self):
        make_municipality(municipality_code="9504")
        source = self._write(HEADER + "9504,2023,oro-brott,all,24\n9504,2023,oro-brott,all,x\n")
        with translation.override("en"), pytest.raises(CommandError) as error:
            call_command("import_survey", source)
        assert "nothing was written" in str(error.value)
        assert "Row 3, column “value”" in str(error.value)
        assert _counts() == (0, 0)

    @override_settings(SURVEY_CSV_MAX_BYTES=100)
    def test_import_command_refuses_a_file_over_the_size_limit(self):
        make_municipality(municipality_code="9505")
        source = self._write(HEADER + "9505,2023,oro-brott,all,24\n" * 10)
        with translation.override("en"), pytest.raises(CommandError) as error:
            call_command("import_survey", source)
        assert "larger than" in str(error.value)
        assert _counts() == (0, 0)

    def test_import_command_reads_a_macintosh_csv(self):
        make_municipality(municipality_code="9506")
        source = self._write(HEADER + "9506,2023,oro-brott,all,24\n")
        Path(source).write_bytes(Path(source).read_bytes().replace(b"\n", b"\r"))
        call_command("import_survey", source, stdout=StringIO())
        assert _counts() == (1, 1)

    def test_import_command_reports_missing_file(self):
        with pytest.raises(CommandError):
            call_command("import_survey", "/no/such/file.csv")

    def _write(self, text):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = Path(directory.name) / "survey.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)
