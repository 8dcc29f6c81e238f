"""Rubric weights: group weights add up to the group's header points (verify/rubrics.py)."""

from jixiao.models import Evidence
from jixiao.verify import verify_record
from verify_support import fact, record, row

GENERAL = [
    ("项目决策", "程序严密", 2),
    ("项目决策", "规划合理", 2),
    ("项目决策", "结果符合", 2),
    ("项目实施", "执行有效", 4),
    ("项目实施", "使用合规", 4),
    ("预算执行", "预算执行率", 6),
]


def rubric(scope: str, groups: list[tuple[str, list[tuple[str, str, float]]]], scores=None):
    rows = []
    for header, members in groups:
        for n, (level2, level3, weight) in enumerate(members):
            quote = f"{header}\t{level2}\t{level3}\t{weight:g}" if n == 0 else f"{level3}"
            score = scores.pop(0) if scores else None
            rows.append(
                row(
                    scope,
                    "rubric",
                    table_index=3,
                    level1=header.split("（")[0],
                    level2=level2,
                    level3=level3,
                    weight=weight,
                    score=score,
                    evidence=Evidence(quote=quote, start=0, end=len(quote)),
                )
            )
    return rows


def score_flags(rows, facts=()):
    return [f for f in verify_record(record(list(facts), rows), "") if f.check == "score_sum"]


def test_group_weights_over_their_header_points_fire() -> None:
    groups = [
        ("通用指标（20分）", [*GENERAL, ("预算执行", "资金使用率", 3)]),
        ("产出指标（30分）", [("数量指标", "次数", 15), ("质量指标", "办结率", 15)]),
        ("效益指标（50分）", [("社会效益", "降低率", 50)]),
    ]
    (flag,) = score_flags(rubric("接访工作经费", groups))
    assert "“通用指标（20分）”下各指标分值 2 + 2 + 2 + 4 + 4 + 6 + 3 = 23 分" in flag.message
    assert (flag.expected, flag.actual) == (20, 23)
    assert "headed 20 points" in (flag.message_en or "")


def test_group_weights_that_match_their_headers_and_100_do_not_fire() -> None:
    groups = [
        ("决策（20分）", GENERAL),
        ("产出（80分）", [("数量指标", "次数", 40), ("质量指标", "办结率", 40)]),
    ]
    assert score_flags(rubric("维稳专项经费", groups)) == []


def test_headers_whose_points_do_not_add_to_100_fire() -> None:
    groups = [
        ("产出（40分）", [("数量指标", "次数", 40)]),
        ("效益（50分）", [("社会效益", "降低率", 50)]),
    ]
    (flag,) = score_flags(rubric("某项目", groups))
    assert "40 + 50 = 90 分，不是满分 100 分" in flag.message


def test_without_headers_only_weights_over_100_fire() -> None:
    over = [("产出", [("数量指标", "次数", 60), ("质量指标", "办结率", 50)])]
    under = [("产出", [("数量指标", "次数", 30), ("质量指标", "办结率", 50)])]
    assert "超过满分 100 分" in score_flags(rubric("甲", over))[0].message
    assert score_flags(rubric("乙", under)) == []


def test_a_header_missing_its_closing_bracket_is_still_read() -> None:
    groups = [
        ("部门预算管理（80分", [("预算编制", "目标制定", 10), ("预算执行", "支出控制", 10)]),
        ("自评质量（20分）", [("自评质量", "自评准确", 20)]),
    ]
    (flag,) = score_flags(rubric("department", groups))
    assert "10 + 10 = 20 分，与标明的 80 分不符" in flag.message


def test_rubric_scores_are_held_to_the_projects_self_score() -> None:
    groups = [
        ("产出（50分）", [("数量指标", "次数", 25), ("质量指标", "办结率", 25)]),
        ("效益（50分）", [("社会效益", "降低率", 50)]),
    ]
    self_score = fact("eval.self_score", 95, "95分", unit="分", scope="甲")
    assert score_flags(rubric("甲", groups, scores=[25, 20, 50]), [self_score]) == []
    (flag,) = score_flags(rubric("甲", groups, scores=[25, 20, 45]), [self_score])
    assert (flag.expected, flag.actual) == (95, 90)
