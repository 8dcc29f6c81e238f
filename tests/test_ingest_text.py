"""Plain-text ingestion: encodings, flattened tables, hard-wrapped prose."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from jixiao.document import RawParagraph
from jixiao.errors import EmptyDocument, UnsupportedFormat
from jixiao.ingest import load, load_bytes
from jixiao.ingest.encoding import decode
from jixiao.ingest.flattened import parse_flattened
from jixiao.ingest.wrapping import join_wrapped_paragraphs

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"
SAMPLE = "2023年部门整体支出绩效自评报告\n\t项目名称\n\t道路养护经费\n\n\t预算数\n\t120.50\n"


# ---------------------------------------------------------------------------- encodings
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be"],
)
def test_decode_recovers_the_text_in_every_common_chinese_encoding(data: bytes, expected: str):
    text, encoding = decode(data)
    assert text.lstrip("\ufeff") == SAMPLE
    assert encoding == expected


def test_non_utf8_input_is_noted_on_the_document():
    doc = load_bytes(SAMPLE.encode("gb18030"), name="report.txt")
    assert doc.notes == ["decoded as gb18030"]
    assert doc.tables[0].row_texts() == [["项目名称", "道路养护经费"], ["预算数", "120.50"]]


def test_whitespace_only_text_is_empty():
    with pytest.raises(EmptyDocument):
        decode(b" \r\n\t\n")


def test_binary_bytes_are_not_text():
    with pytest.raises(UnsupportedFormat):
        decode(bytes(range(256)) * 20)


# ---------------------------------------------------------------------------- tables
def rows_of(text: str) -> list[list[list[str]]]:
    doc = load_bytes(text.encode("utf-8"), name="x.txt")
    return [t.row_texts() for t in doc.tables]


def paragraphs_of(text: str) -> list[str]:
    doc = load_bytes(text.encode("utf-8"), name="x.txt")
    return [doc.para_text(p) for p in doc.paragraphs]


def test_a_cell_line_break_is_removed_and_rows_split_at_blank_lines():
    text = "\t项目预算\n执行情况\n\t8\n\n\t其中：财政拨\n款\n\t8\n"
    assert rows_of(text) == [[["项目预算执行情况", "8"], ["其中：财政拨款", "8"]]]


def test_cell_paragraphs_separated_by_blank_lines_stay_in_their_cell():
    text = (
        "2024年项目绩效目标表\n\n"
        "\t年度目标\n\t一级\n\n指标\n\t指标\n\n方向性\n\n"
        "\t开展宣传月活动\n\t产出指标\n\t正向指标\n"
    )
    assert rows_of(text) == [
        [["年度目标", "一级指标", "指标方向性"], ["开展宣传月活动", "产出指标", "正向指标"]]
    ]
    assert paragraphs_of(text) == ["2024年项目绩效目标表"]


def test_a_title_after_a_table_is_a_paragraph_not_a_cell():
    text = (
        "\t项目负责人：\n\t财务负责人：\n\n"
        "项目支出绩效自评表\n\n（2022年度）\n\n"
        "\t项目名称\n\t城区绿化经费\n"
    )
    assert rows_of(text) == [[["项目负责人：", "财务负责人："]], [["项目名称", "城区绿化经费"]]]
    assert paragraphs_of(text) == ["项目支出绩效自评表", "（2022年度）"]


def test_a_title_written_right_under_the_last_cell_moves_out_of_the_table():
    text = "\t分值\n\t3\n某县教育局\n部门预算项目支出绩效自评报告\n\n一、基本情况\n"
    assert rows_of(text) == [[["分值", "3"]]]
    assert paragraphs_of(text) == ["某县教育局", "部门预算项目支出绩效自评报告", "一、基本情况"]


def test_prose_after_a_double_blank_line_ends_the_table():
    text = "\t合计\n\t100\n\n\n说明：以上数据为决算数。\n"
    assert rows_of(text) == [[["合计", "100"]]]
    assert paragraphs_of(text) == ["说明：以上数据为决算数。"]


def test_a_row_split_by_an_empty_paragraph_in_a_cell_is_rejoined():
    text = (
        "\t序号\n\t方向\n\t金额\n\n"
        "\t一\n\t岗位津贴\n\t1.8\n\n"
        "\t二\n\t防控费\n\n\t36.7\n\n"
        "\t三\n\t宣传费\n\t2.0\n"
    )
    assert rows_of(text) == [
        [
            ["序号", "方向", "金额"],
            ["一", "岗位津贴", "1.8"],
            ["二", "防控费", "36.7"],
            ["三", "宣传费", "2.0"],
        ]
    ]


def test_label_value_rows_of_the_same_width_are_not_merged():
    text = "\t实施期目标\n\t维护稳定\n\t项目金额\n\t5\n\n\t年度目标\n\t化解矛盾\n\n\t年度绩效\n\t良好\n"
    assert rows_of(text) == [
        [
            ["实施期目标", "维护稳定", "项目金额", "5"],
            ["年度目标", "化解矛盾"],
            ["年度绩效", "良好"],
        ]
    ]


def test_a_wide_gap_before_a_row_of_another_shape_starts_a_new_table():
    text = (
        "\t一级指标\n\t二级指标\n\n\t产出\n\t数量\n\n\n\n\t附件3\n\t\n\t\n\n\t项目金额\n\t1.8\n\t\n"
    )
    tables = rows_of(text)
    assert tables[0] == [["一级指标", "二级指标"], ["产出", "数量"]]
    assert tables[1][0][0] == "附件3"


def test_a_wide_gap_inside_a_table_of_one_shape_does_not_split_it():
    text = "\t目标制定\n\t10\n\t10\n\n\n\n\t目标完成\n\t10\n\t9\n"
    assert rows_of(text) == [[["目标制定", "10", "10"], ["目标完成", "10", "9"]]]


def test_rows_of_empty_cells_are_dropped():
    text = "\t序号\n\t金额\n\n\t\n\t\n\n\t一\n\t3\n"
    assert rows_of(text) == [[["序号", "金额"], ["一", "3"]]]


# ---------------------------------------------------------------------------- prose
WRAPPED = (
    "一、部门概况\n"
    "    1.贯彻执行党和国家关于教育工作的方针、政策、法\n"
    "律、法规以及各级党委、政府的决策部署；提出改进建议。\n"
    "    2.负责向县委、县政府反映群众来信来电中提出的重\n"
    "要建议、意见和问题，综合研判有关信息，开展调查研究。\n"
    "    3.指导全县教育工作，督促检查乡镇、街道和县级各\n"
    "部门的教育工作。\n"
    "（二）人员概况\n"
)


def test_hard_wrapped_sentence_lines_are_joined():
    assert paragraphs_of(WRAPPED) == [
        "一、部门概况",
        "1.贯彻执行党和国家关于教育工作的方针、政策、法律、法规以及各级党委、政府的决策部署；提出改进建议。",
        "2.负责向县委、县政府反映群众来信来电中提出的重要建议、意见和问题，综合研判有关信息，开展调查研究。",
        "3.指导全县教育工作，督促检查乡镇、街道和县级各部门的教育工作。",
        "（二）人员概况",
    ]


def test_a_heading_is_never_joined_to_the_paragraph_under_it():
    text = (
        "（1）抓好源头治理，推进预防法治化\n\n"
        "推动落实领导干部接访下访制度，坚持每月两次由县领导接待上访群众\n\n"
        "（2）抓好甄别分流，推进受理法治化\n\n"
        "严格按照信访工作法治化路线图开展工作，建立首接负责工作责任制\n\n"
        "（3）突出智治赋能，推进办理法治化\n\n"
        "严格按照信访工作法治化指引办理信访事项，强化部门会商研判工作\n"
    )
    paragraphs = paragraphs_of(text)
    assert len(paragraphs) == 6
    assert paragraphs[0] == "（1）抓好源头治理，推进预防法治化"


def test_lines_that_are_not_wrapped_are_left_alone():
    blocks = parse_flattened("第一部分 概况\n收入合计 416.54万元。\n支出合计 416.18万元。\n")
    assert [b.text.text for b in blocks if isinstance(b, RawParagraph)] == [
        "第一部分 概况",
        "收入合计 416.54万元。",
        "支出合计 416.18万元。",
    ]
    assert join_wrapped_paragraphs([]) == []


def test_joined_paragraphs_keep_offsets_into_the_raw_input():
    raw = WRAPPED
    doc = load_bytes(raw.encode("utf-8"), name="x.txt")
    p = doc.paragraphs[1]
    text = doc.para_text(p)
    assert text.startswith("1.贯彻")
    k = text.index("律、法规")
    assert raw[doc.source_offset(p.start + k)] == "律"


# ---------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_no_seed_table_is_an_indicator_header_cut_off_from_its_rows(seed: str):
    doc = load(FIXTURES / seed / "source.txt")
    for table in doc.tables:
        first = table.row_texts()[0]
        if "一级指标" in first or "项目名称" in first:
            assert len(table.rows) > 1, (seed, table.index, first)


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_no_seed_paragraph_is_a_title_glued_into_a_cell(seed: str):
    doc = load(FIXTURES / seed / "source.txt")
    for table in doc.tables:
        for row in table.row_texts():
            for cell in row:
                assert not cell.endswith(("自评表", "自评报告", "目标表")) or len(cell) < 20, cell


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seeds_load_in_well_under_a_second(seed: str):
    import time

    start = time.perf_counter()
    load(FIXTURES / seed / "source.txt")
    assert time.perf_counter() - start < 1.0


@pytest.mark.slow
def test_a_20_mb_text_file_loads_in_linear_time_and_bounded_memory(tmp_path: Path):
    import resource
    import time

    seed = (FIXTURES / "001" / "source.txt").read_bytes()
    path = tmp_path / "big.txt"
    path.write_bytes(seed * (20 * 2**20 // len(seed) + 1))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    doc = load(path, max_text_bytes=2**30)  # past the batch limit on purpose: scaling is the point
    elapsed = time.perf_counter() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert len(doc.tables) > 1000
    assert doc.source_offset(len(doc.text) - 1) is not None
    assert elapsed < 90
    assert grown_mb < 1500
