"""Sentence bounds found outwards agree with a search over the whole text."""

from __future__ import annotations

import random

from jixiao.verify.sentences import sentence_end, sentence_start

MARKS = "。！？；;!?\n"


def test_bounds_match_a_whole_text_search() -> None:
    rng = random.Random(3)
    alphabet = "收入支出为万元12。，；\n!？ab"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        for at in range(len(text) + 1):
            left = max(text.rfind(c, 0, at) for c in MARKS) + 1
            found = [p for c in MARKS if (p := text.find(c, at)) >= 0]
            assert sentence_start(text, at, MARKS) == left
            assert sentence_end(text, at, MARKS) == min(found, default=len(text))


def test_sentence_start_stops_at_the_line_break() -> None:
    text = "上年收入100万元！\n本年收入120万元"
    assert text[sentence_start(text, len(text), "。！\n") :] == "本年收入120万元"
