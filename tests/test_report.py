from bulletin.report import CATALOGUE, Report, Severity


def test_summary_counts_problems_and_files():
    report = Report()
    report.add("CONTENT003", "site_src/a.md", 3, key="x", hint="")
    report.add("CONTENT004", "site_src/a.md", 1, key="title", label="标题", example="title: 计划")
    report.add("CONTENT007", "site_src/b.md", 1, encoding="GBK/GB18030")
    assert report.summary() == "3 个问题，涉及 2 个文件（错误 2，警告 1）。"
    assert [p.code for p in report.errors] == ["CONTENT004", "CONTENT007"]


def test_problem_line_shows_path_line_code_and_chinese_text():
    report = Report()
    problem = report.add("CONTENT003", "site_src/people/wang.md", 7, key="catgory", hint="是不是「category」？")
    assert str(problem) == ("site_src/people/wang.md:7: CONTENT003 警告：不认识的元数据项「catgory」，已忽略。"
                            "是不是「category」？")


def test_every_catalogue_entry_is_chinese_and_has_a_severity():
    for code, message in CATALOGUE.items():
        assert isinstance(message.severity, Severity), code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message.text), code


def test_notices_are_neither_errors_nor_warnings():
    import bulletin.people  # noqa: F401  registers PERSON006

    report = Report()
    problem = report.add("PERSON006", "site_src/people/a.md", 11, name="余思远", when="")
    assert problem.severity is Severity.NOTICE and "提示" in str(problem)
    assert report.errors == [] and report.warnings == []
    assert report.summary() == "1 个问题，涉及 1 个文件（错误 0，警告 0，提示 1）。"
