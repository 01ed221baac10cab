

# --- 3. several levels in one deployment ------------------------------------------------------------


@pytest.fixture
def city(units, region_tree):
    """1–7月 2022 in 荆州市: 荆州区 signs 25亿 (川店, 3月) and 2亿 (马山, 5月) — 2 亿元以上, 27亿元,
    target 4 → 50%; 沙市区 signs 12亿 and 0.5亿 (岑河, 4月, 6月) — 1 亿元以上, 12.5亿元, target 1 →
    100%. Ranked by completion: 沙市区 first, 荆州区 second; by amount (龙虎榜): 荆州区 first."""
    u = units
    project(u.chuandian, 250000, signed=D(2022, 3, 1))
    project(u.mashan, 20000, signed=D(2022, 5, 1))
    project(u.cenhe, 120000, signed=D(2022, 4, 1))
    project(u.cenhe, 5000, signed=D(2022, 6, 1))
    for region, value in ((region_tree.jingzhou, 4), (region_tree.shashi, 1)):
        TargetFactory(unit=None, region=region, year=2022, indicator="signed_projects_100m", value=Decimal(value))
    return region_tree


def table_rows(text: str, caption: str) -> list[list[str]]:
    block = text.split(caption)[1].split("\n\n")[1]
    return [line.strip("| ").split(" | ") for line in block.splitlines()[2:]]


def test_city_ranks_its_counties_in_official_order(city):
    text = report("summary", city.city, start="2022-01", end="2022-07")
    assert "## 一、各县市区完成情况" in text
    assert "1至7月，各县市区中，签约亿元以上项目完成全年任务比例沙市区位列第一，荆州区排名末位；沙市区已完成全年签约亿元以上项目任务。" in text
    rows = table_rows(text, "1至7月各县市区主要指标完成情况（序时进度58.3%）")
    # Official order (区划代码 421002 before 421003); 1/1 = 100% (+41.7 on 58.3%), 2/4 = 50% (−8.3).
    assert [r[0] for r in rows] == ["沙市区", "荆州区"]
    assert rows[0][1:5] == ["1", "1", "100%", "41.7"] and rows[0][-1] == "1"
    assert rows[1][1:5] == ["2", "4", "50%", "-8.3"] and rows[1][-1] == "2"


def test_county_states_its_rank_in_the_city(city):
    text = report("summary", city.jingzhou, start="2022-01", end="2022-07")
    assert "按1至7月签约亿元以上项目完成全年任务比例，荆州区在全市2个县市区中排名第二，在全市签约龙虎榜中排名第一。" in text
    # A county has no level below it to rank.
    assert "各县市区完成情况" not in text


def test_city_leaderboard_is_by_county(city):
    text = report("leaderboard", city.city, start="2022-01", end="2022-07")
    rows = table_rows(text, "1至7月各县市区签约龙虎榜")
    # 荆州区 2 signed (2 亿元以上) 27亿元; 沙市区 2 signed (1 亿元以上) 12.5亿元.
    assert rows == [["1", "荆州区", "2", "2", "27"], ["2", "沙市区", "2", "1", "12.5"]]
    # The units follow as the first few across the city, each with its county.
    units = table_rows(text, "1至7月签约额前20位单位")
    assert [(r[1], r[2]) for r in units] == [("川店镇", "荆州区"), ("岑河镇", "沙市区"), ("马山镇", "荆州区")]
