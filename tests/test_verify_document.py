"""Document-level checks: function codes, unfilled templates, department names."""

from jixiao.verify import verify_record
from verify_support import record


def checks(text: str, department: str | None = None) -> list[str]:
    return [f.check for f in verify_record(record([], department=department), text)]


def test_a_housing_fund_line_under_the_health_class_fires() -> None:
    assert checks("13.卫生健康（210）住房改革支出（02）住房公积金（01）: 支出决算为14.27万元") == [
        "function_code"
    ]
    assert checks("13.住房保障（221）住房改革支出（02）住房公积金（01）: 支出决算为14.27万元") == []


def test_a_class_name_with_another_class_code_fires() -> None:
    assert checks("10.卫生健康（208）行政事业单位医疗（11）行政单位医疗（01）") == ["function_code"]
    assert checks("10.卫生健康（210）行政事业单位医疗（11）行政单位医疗（01）") == []


def test_seven_digit_codes_in_a_table_are_checked_against_their_names() -> None:
    assert checks("2210201\t住房公积金\t14.27") == []
    assert checks("2100201\t住房公积金\t14.27") == ["function_code"]
    assert checks("210\t卫生健康支出\t8.52\n221\t住房保障支出\t14.27") == []
    assert checks("208\t卫生健康支出\t8.52") == ["function_code"]


def test_placeholders_and_blank_form_fields_are_an_unfilled_template() -> None:
    assert checks("上海市XXX局2024年度部门决算") == ["unfilled_template"]
    assert checks("部门名称：（公章）\n\n填报人：\n\n一、部门基本情况") == ["unfilled_template"]
    assert checks("部门名称：遂宁市船山区信访局\n填报人：张三") == []


def test_another_districts_department_as_a_name_line_or_cell_fires() -> None:
    name = "遂宁市船山区信访局"
    prose = "遂宁市船山区信访局2023年决算。组建区信访局专班，按照四川省信访局要求……"
    assert checks(prose + "\n主管部门\t四川省遂宁市船山区信访局部门\n船山区信访局", name) == []
    assert checks("主管部门\t遂宁市蓬溪县信访局\n", name) == ["department_name"]
    assert checks("编制单位：射洪市信访局\n", name) == ["department_name"]
