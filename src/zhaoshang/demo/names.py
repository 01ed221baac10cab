"""Pools of realistic Chinese names for the synthetic demo data, and valid 统一社会信用代码.

Every generator takes the caller's ``random.Random`` so that a seed reproduces the same data.
"""

import random

from stdnum.cn import uscc

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔向汤"
)
GIVEN_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺"
    "信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江"
    "超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾"
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳"
)

# Brand names: two characters, one from each pool ("华晟", "鑫源" …).
BRAND_FIRST = "华鑫宏恒瑞新金天盛博永正德泰安嘉锦汇创中荣凯科立信联亿通晶光长楚荆铭祥隆"
BRAND_SECOND = "达晟源丰诚宇航润远鸿辉邦美腾基利昊展升力通洋峰扬欣佳豪骏然卓铭程翔"

# Where investors come from: (place-name prefix, 区划代码 of the registering authority, in Hubei?, in 荆州?).
INVESTOR_PLACES = (
    ("荆州", "421000", True, True),
    ("荆州", "421003", True, True),
    ("湖北", "420100", True, False),
    ("武汉", "420100", True, False),
    ("宜昌", "420500", True, False),
    ("襄阳", "420600", True, False),
    ("深圳", "440300", False, False),
    ("东莞", "441900", False, False),
    ("广州", "440100", False, False),
    ("广东", "440600", False, False),
    ("上海", "310000", False, False),
    ("苏州", "320500", False, False),
    ("江苏", "320200", False, False),
    ("浙江", "330100", False, False),
    ("宁波", "330200", False, False),
    ("厦门", "350200", False, False),
    ("北京", "110000", False, False),
    ("成都", "510100", False, False),
    ("长沙", "430100", False, False),
    ("合肥", "340100", False, False),
)
PLACE_LOCATIONS = {
    "荆州": "湖北省荆州市",
    "湖北": "湖北省武汉市",
    "武汉": "湖北省武汉市",
    "宜昌": "湖北省宜昌市",
    "襄阳": "湖北省襄阳市",
    "深圳": "广东省深圳市",
    "东莞": "广东省东莞市",
    "广州": "广东省广州市",
    "广东": "广东省佛山市",
    "上海": "上海市",
    "苏州": "江苏省苏州市",
    "江苏": "江苏省无锡市",
    "浙江": "浙江省杭州市",
    "宁波": "浙江省宁波市",
    "厦门": "福建省厦门市",
    "北京": "北京市",
    "成都": "四川省成都市",
    "长沙": "湖南省长沙市",
    "合肥": "安徽省合肥市",
}

# Where trips go: (city, out of the province?).
DESTINATIONS_OUT = (
    "广东深圳",
    "广东东莞",
    "广东广州",
    "广东佛山",
    "广东惠州",
    "上海",
    "江苏苏州",
    "江苏无锡",
    "江苏南京",
    "浙江杭州",
    "浙江宁波",
    "浙江温州",
    "福建厦门",
    "北京",
    "四川成都",
    "湖南长沙",
    "安徽合肥",
    "河南郑州",
    "重庆",
    "山东青岛",
    "天津",
)
DESTINATIONS_IN = (
    "武汉",
    "宜昌",
    "襄阳",
    "十堰",
    "黄石",
    "孝感",
    "荆门",
    "鄂州",
    "随州",
    "仙桃",
    "潜江",
    "天门",
)

# Leaders' titles for 参加领导 / 包保领导 / 链长.
LEADER_TITLES = (
    "区委书记",
    "区长",
    "区委副书记",
    "区委常委、常务副区长",
    "区委常委、组织部部长",
    "区委常委、宣传部部长",
    "区委常委、统战部部长",
    "副区长",
    "副区长",
    "区人大常委会副主任",
    "区政协副主席",
)
# One person in each leading post (one 区委书记, one 区长 …): every activity and project names the
# same people. The names are made up.
LEADERS = {
    "区委书记": "徐明",
    "区长": "肖兵",
    "区委副书记": "李建华",
    "区委常委、常务副区长": "王海涛",
    "区委常委、组织部部长": "陈丽",
    "区委常委、宣传部部长": "赵志强",
    "区委常委、统战部部长": "刘芳",
    "副区长": "张伟",
    "区人大常委会副主任": "孙国平",
    "区政协副主席": "周敏",
}


def leader(rng, title: str | None = None) -> str:
    """ "肖兵(区长)": the post's holder. A person is still drawn (and dropped), so that the demo's
    stream of random numbers, and with it every seed-000 figure, stays as it was."""
    person(rng)
    title = title or rng.choice(LEADER_TITLES)
    return f"{LEADERS[title]}({title})"


OFFICER_TITLES = ("局长", "副局长", "主任", "副主任", "党委书记", "镇长", "副镇长", "科长")


def person(rng: random.Random) -> str:
    """A plausible Chinese full name (family name first, one or two given characters)."""
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.75 else "")
    return rng.choice(SURNAMES) + given


def brand(rng: random.Random) -> str:
    first = rng.choice(BRAND_FIRST)
    second = rng.choice(BRAND_SECOND)
    while second == first:
        second = rng.choice(BRAND_SECOND)
    return first + second


def _organisation_code(rng: random.Random) -> str:
    """A 9-character 组织机构代码 (GB 11714) with its own check character."""
    body = [rng.randrange(10) for _ in range(8)]
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(d * w for d, w in zip(body, weights, strict=True)) % 11
    check_char = {10: "X", 11: "0"}.get(check, str(check))
    if check_char == "X":
        # "X" is not in the credit-code alphabet; draw again rather than produce an invalid code.
        return _organisation_code(rng)
    return "".join(map(str, body)) + check_char


def credit_code(rng: random.Random, region_code: str, *, entity_type: str = "1") -> str:
    """A valid 统一社会信用代码: 9 (工商) + entity type + region + organisation code + check digit."""
    body = "9" + entity_type + region_code + _organisation_code(rng)
    return body + uscc.calc_check_digit(body)


def phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "136", "150", "151", "158", "187", "189", "177")) + "".join(
        str(rng.randrange(10)) for _ in range(8)
    )
