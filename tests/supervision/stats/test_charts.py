"""The dashboard's charts: inline SVG drawn on the server, accessible, escaped, one bar a value."""

import re
import xml.etree.ElementTree as ET

from supervision.stats.charts import bar_chart, column_chart, truncate_label

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_a_bar_chart_has_one_labelled_bar_per_value():
    items = [("车工", 12), ("电工", 3), ("钳工", 0)]
    svg = _parse(bar_chart(chart_id="c1", title="按职业", desc="说明", items=items))
    bars = svg.findall(f"{SVG}g")
    assert len(bars) == 3
    assert len(svg.findall(f".//{SVG}rect")) == 3
    values = [bar.find(f"{SVG}text[@class='value']").text for bar in bars]
    assert values == ["12", "3", "0"]
    widths = [float(bar.find(f"{SVG}rect").get("width")) for bar in bars]
    assert widths[0] > widths[1] > widths[2] == 0


def test_a_chart_is_an_accessible_image_with_title_and_description():
    svg = _parse(
        bar_chart(chart_id="c2", title="通过率", desc="每个等级一条", items=[("四级", 50)])
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c2-title c2-desc"
    assert svg.find(f"{SVG}title").text == "通过率"
    assert svg.find(f"{SVG}desc").text == "每个等级一条"


def test_text_from_the_data_is_escaped():
    evil = '<script>alert("x")</script>&'
    markup = str(bar_chart(chart_id="c3", title=evil, desc=evil, items=[(evil, 1)]))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    _parse(markup)  # still well-formed XML
    markup = str(column_chart(chart_id="c4", title=evil, desc=evil, items=[(evil, 1)]))
    assert "<script>" not in markup
    _parse(markup)


def test_a_long_occupation_name_is_cut_with_an_ellipsis_and_kept_whole_in_its_title():
    name = "6-30-99-00 智能制造工程技术人员（工业互联网方向）设备运维与调试"
    svg = _parse(bar_chart(chart_id="c5", title="t", desc="d", items=[(name, 40)], maximum=100))
    bar = svg.find(f"{SVG}g")
    shown = bar.find(f"{SVG}text").text
    assert shown.endswith("…") and len(shown) < len(name)
    assert bar.find(f"{SVG}title").text.startswith(name)


def test_short_labels_are_not_cut():
    assert truncate_label("车工") == "车工"
    assert truncate_label("五级/初级工") == "五级/初级工"


def test_a_column_chart_has_one_column_per_month():
    items = [(f"{m}月", m % 3) for m in range(1, 13)]
    markup = str(column_chart(chart_id="c6", title="每月发证", desc="d", items=items))
    svg = _parse(markup)
    assert len(svg.findall(f"{SVG}g")) == 12
    assert len(svg.findall(f".//{SVG}rect")) == 12
    values = [g.find(f"{SVG}text[@class='value']").text for g in svg.findall(f"{SVG}g")]
    assert values == [str(m % 3) for m in range(1, 13)]
    assert not re.search(r"<script|https?://(?!www\.w3\.org)", markup)


def test_a_percent_chart_uses_a_fixed_scale_and_shows_no_rate_as_a_dash():
    svg = _parse(
        bar_chart(
            chart_id="c7",
            title="t",
            desc="d",
            items=[("四级", 50.0), ("三级", None)],
            maximum=100,
            suffix="%",
        )
    )
    bars = svg.findall(f"{SVG}g")
    assert [b.find(f"{SVG}text[@class='value']").text for b in bars] == ["50%", "—"]
