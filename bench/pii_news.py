"""Seeded generator of news-like sentences with gold person-name spans, for ``bench/pii.py``.

The chat set (``pii_data.py``) tests names the way customers write them (我叫张三, 收件人：李四). News
writes them differently: no cue word, a role before (主帅, 总经理), a speech verb after (表示, 指出),
names in lists (张伟、李娜和王芳), transliterated foreign names (穆里尼奥, 威尔·史密斯) and Latin ones
(Johns). This set is the development set for those rules, written from general knowledge and NOT
from CLUENER (the real news set stays a test set read once at the end). Given names use many
characters the recogniser's own lexicon does not list, so recall here also measures how far context
carries a name whose characters are unknown. Sentences without names (places, clubs, companies,
everyday words that begin with a surname) measure precision.
"""

from __future__ import annotations

import random

from pii_data import Builder, Sample

# Surnames weighted roughly by frequency (the first ones are the commonest) and a few compound ones.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文施洪辛柯庄"  # noqa: E501
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容"]
# Given-name characters: common ones and rarer modern ones (many outside the recogniser's lexicon).
GIVEN = (
    "伟芳娜敏静秀英丽强磊洋艳勇军杰娟涛超明霞平刚桂华玉萍红玲芬燕春梅琳云莲雪荣佳嘉琦晶妍婷颖瑶怡丹蓉"
    "浩宇轩博文辉鹏飞斌俊峰建国志海东波宏龙鑫晨阳毅帅昊翔家成康星达安子涵梓萱一诺欣怡雨桐思源若汐"
    "昱煦玮骏垚淼樾翀珩晞赟祯锴钰铖琨璐瑀炜烨灏鑫晟旸晔昕暄曦皓翊彧歆沐泓澍溪湛霖霈霆靓靖颢馨"
    "德福贵禄寿喜庆春生根发旺财秋冬兵卫红军忠诚孝义仁礼智信勤俭朴实厚道守田耕耘"
)
FOREIGN_SYLLABLES = list(
    "阿巴贝比波布达德迪杜尔法菲弗伽格哈赫基吉卡凯科克库拉莱兰劳雷里利卢鲁罗洛马迈曼梅米莫姆纳尼诺帕佩皮普奇萨塞桑森沙斯索塔特提托瓦威维沃西希亚伊尤约泽"
)
LATIN_FIRST = ["John", "Mary", "David", "Sarah", "Michael", "Emma", "Robert", "Linda", "James", "Anna", "Peter", "Kate"]
LATIN_LAST = ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Miller", "Davis", "Clark", "Lewis", "Walker", "Hall"]
ROLES = [
    "记者",
    "主帅",
    "主教练",
    "总经理",
    "董事长",
    "总裁",
    "主席",
    "总统",
    "首相",
    "市长",
    "局长",
    "教授",
    "研究员",
    "导演",
    "演员",
    "歌手",
    "球员",
    "前锋",
    "队长",
    "律师",
    "法官",
    "分析师",
    "首席经济学家",
    "发言人",
    "院士",
    "作家",
]
VERBS = ["表示", "认为", "指出", "介绍", "透露", "称", "说", "强调", "坦言", "告诉记者", "回忆说", "补充道"]
PLACES = [
    "北京",
    "上海",
    "台湾",
    "香港",
    "广州",
    "深圳",
    "杭州",
    "巴西",
    "阿根廷",
    "英国",
    "德国",
    "巴塞罗那",
    "曼彻斯特",
]
ORGS = [
    "曼联",
    "切尔西",
    "皇马",
    "湖人队",
    "国家统计局",
    "央行",
    "证监会",
    "招商银行",
    "腾讯",
    "阿里巴巴",
    "联想集团",
    "万科",
    "中石油",
    "新华社",
    "清华大学",
    "北京大学",
]
# Everyday words that begin with a surname character: no name in them.
LOOKALIKES = [
    "高度",
    "马上",
    "黄金",
    "周期",
    "方面",
    "常规",
    "王牌",
    "金融",
    "石油",
    "林业",
    "白天",
    "程序",
    "龙头",
    "江湖",
    "温度",
    "项目",
    "钱包",
    "文化",
    "毛利",
    "余额",
    "左右",
    "孔雀",
    "武器",
    "向导",
    "史料",
    "安全",
]


# Clauses that hold a name with no role, title, verb or list around it.
EMBEDDED = [
    ("这部电影讲述了", "年轻时的故事。"),
    ("据{org}消息，", "将于下周访问{place}。"),
    ("球迷们为", "加油助威。"),
    ("这是", "第三次获得该奖项。"),
    ("由", "执导的电影昨天上映。"),
    ("{place}警方透露，嫌疑人", "已被控制。"),
    ("不少网友支持", "的做法。"),
    ("当年", "只有二十岁，"),
]


def person(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.05 else SURNAMES[int(len(SURNAMES) * rng.random() ** 2)]
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2, 2])))


def foreign(rng: random.Random) -> str:
    def part() -> str:
        return "".join(rng.choice(FOREIGN_SYLLABLES) for _ in range(rng.choice([2, 3, 3, 4])))

    return part() + "·" + part() if rng.random() < 0.3 else part()


def latin(rng: random.Random) -> str:
    return rng.choice(LATIN_LAST) if rng.random() < 0.5 else f"{rng.choice(LATIN_FIRST)} {rng.choice(LATIN_LAST)}"


def any_name(rng: random.Random) -> str:
    roll = rng.random()
    return foreign(rng) if roll < 0.2 else latin(rng) if roll < 0.27 else person(rng)


def _positive(rng: random.Random) -> Sample:
    b = Builder()
    kind = rng.randrange(10)
    if kind == 0:  # role before
        b.text(rng.choice(["", "据", f"{rng.choice(ORGS)}"])).text(rng.choice(ROLES)).pii("name", any_name(rng))
        b.text(rng.choice(["在发布会上", "昨天", "近日", "在接受采访时"])).text(rng.choice(VERBS) + "，市场仍有压力。")
    elif kind == 1:  # speech verb after, sentence start
        b.pii("name", any_name(rng)).text(rng.choice(VERBS)).text(
            rng.choice(["，这个问题需要时间。", "：“我们会继续努力。”"])
        )
    elif kind == 2:  # a list of names
        names = [any_name(rng) for _ in range(rng.randint(2, 4))]
        b.text(rng.choice(["", "出席活动的有", "参加比赛的选手包括"]))
        for index, name in enumerate(names):
            b.pii("name", name).text("和" if index == len(names) - 2 else "、" if index < len(names) - 1 else "")
        b.text(rng.choice(["等人。", "，会议由", "也在其中。"]))
    elif kind == 3:  # subject of an action
        b.text(rng.choice(["", "上半场第30分钟，", "随后，"])).pii("name", any_name(rng))
        b.text(
            rng.choice(["打入一球", "率队访问" + rng.choice(PLACES), "出任" + rng.choice(ORGS) + "总经理", "获得冠军"])
        )
    elif kind == 4:  # object of an action
        b.text(rng.choice(["警方抓获了犯罪嫌疑人", "我们采访了", "公司任命", "球队签下了"])).pii("name", any_name(rng))
        b.text(rng.choice(["。", "，引起关注。", "，合同为期三年。"]))
    elif kind == 5:  # possessive / apposition
        b.pii("name", any_name(rng)).text(rng.choice(["的球队", "的新片", "的妻子", "和他的团队"])).text(
            "再次成为焦点。"
        )
    elif kind == 6:  # title after
        b.text("本报讯 ").pii("name", person(rng)).text(rng.choice(["先生", "女士", "教授", "博士"])).text("昨天获奖。")
    elif kind == 7:  # parenthesised byline
        b.text("（记者").pii("name", person(rng)).text("）").text(rng.choice(PLACES) + "楼市成交量回升。")
    elif kind == 8:  # inside a clause, no cue at all
        before, after = rng.choice(EMBEDDED)
        b.text(before.format(place=rng.choice(PLACES), org=rng.choice(ORGS))).pii("name", any_name(rng)).text(after)
    else:  # two names in one sentence
        b.pii("name", any_name(rng)).text("与").pii("name", any_name(rng)).text(
            rng.choice(["握手致意。", "共同出席了发布会。"])
        )
    return b.build()


def _negative(rng: random.Random) -> Sample:
    templates = [
        lambda: f"{rng.choice(PLACES)}的{rng.choice(LOOKALIKES)}问题受到{rng.choice(ORGS)}关注。",
        lambda: f"{rng.choice(ORGS)}在{rng.choice(PLACES)}召开发布会，{rng.choice(LOOKALIKES)}成为焦点。",
        lambda: f"{rng.choice(ORGS)}以2比1战胜{rng.choice(ORGS)}，{rng.choice(LOOKALIKES)}明显提高。",
        lambda: f"记者从{rng.choice(ORGS)}获悉，{rng.choice(PLACES)}{rng.choice(LOOKALIKES)}将调整。",
        lambda: f"分析师认为，{rng.choice(LOOKALIKES)}和{rng.choice(LOOKALIKES)}都是关键。",
    ]
    return Sample(rng.choice(templates)(), [], negative=True)


def generate(seed: int = 20241130, positives: int = 800, negatives: int = 300) -> list[Sample]:
    """The news-like set: ``positives`` sentences with names, ``negatives`` without."""
    rng = random.Random(seed)
    samples = [_positive(rng) for _ in range(positives)] + [_negative(rng) for _ in range(negatives)]
    rng.shuffle(samples)
    return samples
