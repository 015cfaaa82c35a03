"""The sample company: an East-China medical-device maker selling to hospitals and distributors."""

from __future__ import annotations

REGIONS = (  # code, English, Chinese, share of deals, cities
    ("shanghai", "Shanghai", "上海", 0.27, (("Shanghai", "上海"),)),
    ("suzhou", "Suzhou", "苏州", 0.21, (("Suzhou", "苏州"), ("Kunshan", "昆山"), ("Changshu", "常熟"))),
    ("hangzhou", "Hangzhou", "杭州", 0.20, (("Hangzhou", "杭州"), ("Shaoxing", "绍兴"), ("Jiaxing", "嘉兴"))),
    ("nanjing", "Nanjing", "南京", 0.18, (("Nanjing", "南京"), ("Zhenjiang", "镇江"), ("Yangzhou", "扬州"))),
    ("hefei", "Hefei", "合肥", 0.14, (("Hefei", "合肥"), ("Wuhu", "芜湖"), ("Bengbu", "蚌埠"))),
)

SEGMENTS = (  # code, English team suffix, Chinese team suffix, share of deals, account tiers served
    ("tier3", "Tier-3 Hospitals", "三甲医院组", 0.40, ("tier3",)),
    ("county", "County & Private", "县域与民营组", 0.35, ("tier2", "private")),
    ("channel", "Distribution", "渠道组", 0.25, ("distributor",)),
)

ACCOUNT_NAMES = {  # tier -> (English pattern, Chinese pattern); {city}/{n} filled in
    "tier3": (
        ("{city} First People's Hospital", "{city}市第一人民医院"),
        ("{city} University Affiliated Hospital", "{city}大学附属医院"),
        ("{city} Hospital of Traditional Chinese Medicine", "{city}市中医院"),
        ("{city} Children's Hospital", "{city}市儿童医院"),
        ("{city} Cancer Hospital", "{city}市肿瘤医院"),
        ("{city} Second People's Hospital", "{city}市第二人民医院"),
    ),
    "tier2": (
        ("{city} District Hospital No. {n}", "{city}第{n}区级医院"),
        ("{city} County Hospital {n}", "{city}县人民医院{n}"),
    ),
    "private": (
        ("{city} Renai Hospital {n}", "{city}仁爱医院{n}"),
        ("{city} Kangning Clinic {n}", "{city}康宁医疗{n}"),
    ),
    "distributor": (("{city} Medical Supply Co. {n}", "{city}医疗器械有限公司{n}"),),
}

PRODUCTS = (  # English, Chinese, line, list price (CNY), median deal amount (CNY)
    ("CT scanner", "CT扫描仪", "imaging", 4_800_000, 2_600_000),
    ("Ultrasound system", "超声诊断系统", "imaging", 1_200_000, 900_000),
    ("Endoscopy tower", "内窥镜系统", "surgical", 1_500_000, 1_100_000),
    ("Surgical energy platform", "外科能量平台", "surgical", 800_000, 600_000),
    ("Chemistry analyzer", "生化分析仪", "ivd", 900_000, 650_000),
    ("Immunoassay reagents (annual)", "免疫试剂（年度）", "ivd", 500_000, 420_000),
    ("Patient monitors (ward set)", "病房监护仪套装", "monitoring", 400_000, 320_000),
    ("Infusion pumps (ward set)", "输液泵套装", "monitoring", 250_000, 210_000),
)

LINE_WEIGHTS = {  # segment -> weight of each product (same order as PRODUCTS)
    "tier3": (0.16, 0.14, 0.14, 0.1, 0.12, 0.1, 0.12, 0.12),
    "county": (0.06, 0.16, 0.1, 0.12, 0.14, 0.14, 0.14, 0.14),
    "channel": (0.02, 0.1, 0.06, 0.1, 0.14, 0.2, 0.18, 0.2),
}

TIER_AMOUNT = {"tier3": 1.5, "tier2": 1.0, "private": 0.85, "distributor": 1.2}
TIER_DURATION = {"tier3": 1.25, "tier2": 1.0, "private": 0.8, "distributor": 0.6}
TIER_WIN_LOGIT = {"tier3": -0.1, "tier2": 0.05, "private": 0.15, "distributor": 0.3}

# Mean days in each open stage for a tier-2 hospital.
STAGE_MEAN_DAYS = (12, 18, 20, 24, 22, 12)
# Where lost deals drop out (relative weights per stage).
LOSS_STAGE_WEIGHTS = (0.3, 0.25, 0.2, 0.12, 0.08, 0.05)

# Deals created per month (Chinese New Year dip in February, year-end budget rush).
MONTH_WEIGHT = (1.0, 0.6, 1.1, 1.05, 1.0, 1.0, 0.95, 0.9, 1.05, 1.0, 1.1, 1.15)

SURNAMES = (
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Zhao", "赵"),
    ("Huang", "黄"),
    ("Zhou", "周"),
    ("Wu", "吴"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Hu", "胡"),
    ("Zhu", "朱"),
    ("Gao", "高"),
    ("Lin", "林"),
    ("He", "何"),
    ("Guo", "郭"),
)
GIVEN_NAMES = (
    ("Wei", "伟"),
    ("Fang", "芳"),
    ("Na", "娜"),
    ("Min", "敏"),
    ("Jing", "静"),
    ("Lei", "磊"),
    ("Yang", "洋"),
    ("Yan", "艳"),
    ("Yong", "勇"),
    ("Jun", "军"),
    ("Jie", "杰"),
    ("Tao", "涛"),
    ("Ming", "明"),
    ("Chao", "超"),
    ("Xiuying", "秀英"),
    ("Hua", "华"),
    ("Ping", "平"),
    ("Qiang", "强"),
    ("Xue", "雪"),
    ("Hao", "浩"),
    ("Ting", "婷"),
    ("Yu", "宇"),
    ("Lan", "兰"),
    ("Bo", "波"),
)
