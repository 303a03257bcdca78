from decimal import Decimal
from types import SimpleNamespace

from django.test import SimpleTestCase
from django.utils import translation

from situation.charts import LABEL_GAP, TOP, direction, format_value, indicator_trends
from situation.models import Indicator


def _results(indicator, points):
    """Stand-ins for SurveyResult rows: (group, year, value)."""
    return [
        SimpleNamespace(
            indicator=indicator, group=group, survey=SimpleNamespace(year=year), value=Decimal(v)
        )
        for group, year, v in points
    ]


class ChartTests(SimpleTestCase):
    indicator = Indicator(pk=1, code="oro", name="Oro", unit="percent", lower_is_better=True)

    def test_summary_uses_gettext_and_local_number_format(self):
        results = _results(self.indicator, [("all", 2021, "31"), ("all", 2023, "24.5")])
        with translation.override("en"):
            (trend,) = indicator_trends(results)
            assert trend.series[0].summary == (
                "Everyone: fell from 31\u00a0% in 2021 to 24.5\u00a0% in 2023."
            )
            assert trend.series[0].direction.text == "Falling – better"
        with translation.override("sv"):
            assert format_value(Decimal("24.5"), "percent") == "24,5\u00a0%"

    def test_direction_depends_on_lower_is_better(self):
        with translation.override("en"):
            assert direction(Decimal(60), Decimal(50), lower_is_better=False).text == (
                "Falling – worse"
            )
            assert direction(Decimal(10), Decimal(12), lower_is_better=True).assessment == "worse"
            assert direction(Decimal(10), Decimal(10), lower_is_better=True).arrow == "→"

    def test_one_year_is_a_point_without_line_or_direction(self):
        (trend,) = indicator_trends(_results(self.indicator, [("all", 2024, "20")]))
        series = trend.series[0]
        assert len(series.points) == 1 and series.segments == []
        assert series.direction is None
        assert "2024" in series.summary
        assert series.points[0].x == (trend.plot_left + trend.plot_right) / 2

    def test_missing_year_breaks_the_line_and_leaves_an_empty_cell(self):
        points = [("all", y, "20") for y in (2019, 2020, 2021, 2022)] + [
            ("women", 2019, "30"),
            ("women", 2020, "31"),
            ("women", 2022, "33"),
        ]
        (trend,) = indicator_trends(_results(self.indicator, points))
        everyone, women = trend.series
        assert len(everyone.segments) == 1
        assert len(women.segments) == 1  # 2019–2020; 2022 stands alone as a point
        assert len(women.points) == 3
        assert trend.rows[2] == (2021, ["20\u00a0%", ""])

    def test_years_without_survey_are_spaced_by_time(self):
        (trend,) = indicator_trends(
            _results(self.indicator, [("all", 2015, "10"), ("all", 2016, "11"), ("all", 2025, "9")])
        )
        xs = [x for _year, x, _labelled in trend.x_ticks]
        assert xs[1] - xs[0] < (xs[2] - xs[1]) / 5

    def test_many_years_and_series_stay_inside_the_chart(self):
        groups = ["all", "women", "men", "16-29", "65+"]
        points = [(g, y, str(5 + i)) for i, g in enumerate(groups) for y in range(2000, 2026)]
        (trend,) = indicator_trends(_results(self.indicator, points))
        assert len(trend.years) == 26
        assert sum(labelled for *_rest, labelled in trend.x_ticks) <= 13
        labels = sorted(s.label_y for s in trend.series)
        assert all(b - a >= 14 for a, b in zip(labels, labels[1:], strict=False))
        for series in trend.series:
            for point in series.points:
                assert trend.plot_left <= point.x <= trend.plot_right
                assert 0 <= point.y <= trend.plot_bottom


class ChartLayoutTests(SimpleTestCase):
    indicator = Indicator(pk=1, code="oro", name="Oro", unit="percent", lower_is_better=True)

    def test_end_labels_of_many_low_groups_stay_inside_the_chart(self):
        low = ["women", "men", "16-29", "30-49"]
        points = [(group, year, "0") for group in low for year in (2021, 2023)]
        points += [("all", 2021, "38"), ("all", 2023, "40")]
        (trend,) = indicator_trends(_results(self.indicator, points))
        label_ys = sorted(series.label_y for series in trend.series)
        assert all(0 < y <= trend.height - LABEL_GAP / 2 for y in label_ys), label_ys
        assert all(b - a >= LABEL_GAP for a, b in zip(label_ys, label_ys[1:], strict=False))

    def test_the_top_of_the_axis_has_a_tick(self):
        for largest in ("65", "88", "42", "100"):
            results = _results(self.indicator, [("all", 2021, "10"), ("all", 2023, largest)])
            (trend,) = indicator_trends(results)
            assert trend.y_ticks[-1][1] == TOP, (largest, trend.y_ticks)
            assert trend.series[0].points[-1].y >= TOP
